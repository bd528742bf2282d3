/** `npm run validate [-- path/to/config.yaml]`: checks a config and the environment for production. */
import { loadConfig, ConfigError } from '../core/config/load.js';
import { parseEnv, EnvError } from '../core/config/env.js';
import { checkProduction } from '../core/config/validate.js';

function main(argv: string[], env: NodeJS.ProcessEnv): number {
  try {
    const runtime = { ...parseEnv(env), deploymentEnv: 'production' as const };
    const path = argv[0] ?? runtime.configPath;
    const loaded = loadConfig(path, env);
    const findings = checkProduction(loaded, runtime);
    const errors = findings.filter((f) => f.severity === 'error');
    for (const f of findings) console.log(`${f.severity === 'error' ? 'ERROR  ' : 'warning'} ${f.message}`);
    console.log(
      errors.length === 0
        ? `\n${path}: ready for production (${findings.length} warning${findings.length === 1 ? '' : 's'}).`
        : `\n${path}: ${errors.length} problem${errors.length === 1 ? '' : 's'} to fix before production.`,
    );
    return errors.length === 0 ? 0 : 1;
  } catch (err) {
    if (err instanceof ConfigError || err instanceof EnvError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
}

process.exitCode = main(process.argv.slice(2), process.env);
