// @ts-check
/** The page: header with the usage meter, data-only and budget banners, the tabs (Admin only with the admin token), footer and the settings dialog. */
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { useStoredKey } from '../lib/byok.js';
import { LiveConnection } from '../lib/live.js';
import { effectiveMode } from '../lib/mode.js';
import { tabHref, useRoute } from './route.js';
import { applyTheme, storedChoice, useTheme } from './theme.js';
import { useConfig } from '../lib/use-config.js';
import { useLiveState, useQueue } from '../lib/use-live.js';
import { useUsage } from '../lib/use-usage.js';
import { BudgetBanner } from './budget-banner.js';
import { DataOnlyBanner } from './data-only-banner.js';
import { LoadError } from './load-error.js';
import { SiteFooter } from './site-footer.js';
import { SiteHeader } from './site-header.js';
import { Tabs } from './tabs.js';
import { LazyView } from './lazy-view.js';
import { lazy, useLazy } from '../lib/lazy.js';

/** Settings load the first time they open: most visits never do. */
const settingsModule = lazy(() => import('./settings-dialog.js'));

/** Each tab's view loads when the tab first opens. @type {Array<{ id: import('./route.js').TabId, label: string, view: import('../lib/lazy.js').Lazy<import('./lazy-view.js').ViewComponent> }>} */
const TABS = [
  { id: 'research', label: 'Research', view: lazy(() => import('../research/tab.js').then((m) => m.ResearchView)) },
  { id: 'batch', label: 'Batch tests', view: lazy(() => import('../batch/tab.js').then((m) => m.BatchView)) },
  { id: 'models', label: 'Models', view: lazy(() => import('../models/tab.js').then((m) => m.ModelsView)) },
  { id: 'usage', label: 'Usage', view: lazy(() => import('../usage/tab.js').then((m) => m.UsageView)) },
  { id: 'api', label: 'Use via API', view: lazy(() => import('../gateway/api-tab.js').then((m) => m.ApiView)) },
  { id: 'about', label: 'About', view: lazy(() => import('./about-tab.js').then((m) => m.AboutView)) },
  { id: 'admin', label: 'Admin', view: lazy(() => import('../gateway/admin-tab.js').then((m) => m.AdminView)) },
];

/** The owner's admin token (sessionStorage, as lib/admin-api.js keeps it): the Admin tab shows where it is set. */
function storedAdminToken() {
  try {
    return sessionStorage.getItem('labcoat.admin');
  } catch {
    return null;
  }
}

// Before the first render, so the page never paints in the wrong theme.
applyTheme(storedChoice());

// One live connection for the page's whole life; views subscribe to the topics they show.
const live = new LiveConnection();
live.start();

function App() {
  const route = useRoute();
  const theme = useTheme();
  const { config, error, retry } = useConfig();
  const liveState = useLiveState(live);
  const queue = useQueue(live);
  const storedKey = useStoredKey();
  const { usage, refresh: refreshUsage } = useUsage(live, storedKey);
  const [adminToken, setAdminToken] = useState(storedAdminToken);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const settings = useLazy(settingsModule, settingsOpen).mod;

  const adminApi = config?.gateway?.admin_api === true;
  const tabs = adminApi && adminToken ? TABS : TABS.filter((t) => t.id !== 'admin');
  const tab = tabs.find((t) => t.id === route.tab) ?? TABS[0];
  const mode = config ? effectiveMode(config, storedKey !== null) : null;
  const openSettings = () => setSettingsOpen(true);

  useEffect(() => {
    document.title = `${tab.label} · Labcoat`;
  }, [tab]);

  // When the live connection comes back after the settings failed to load (a restarting Space),
  // load them again by itself. Only on that transition, so a failing route is not hammered.
  const wasLive = useRef(false);
  useEffect(() => {
    const isLive = liveState.status === 'connected';
    if (isLive && !wasLive.current && error) retry();
    wasLive.current = isLive;
  }, [liveState.status]);

  let content = html`<p class="view muted" aria-busy="true">Loading this Space's settings…</p>`;
  if (config && mode) {
    const props = { config, mode, route, live, queue, usage, refreshUsage, onOpenSettings: openSettings, adminToken };
    content = html`<${LazyView} key=${tab.id} view=${tab.view} props=${props} />`;
  } else if (error) content = html`<${LoadError} error=${error} onRetry=${retry} />`;

  return html`
    <${SiteHeader} mode=${mode} simulated=${config?.simulated === true} usage=${usage} live=${liveState} onReconnect=${() => live.reconnectNow()} theme=${theme} onOpenSettings=${openSettings} />
    <main class="page">
      ${config && mode === 'data-only' && html`<${DataOnlyBanner} config=${config} onOpenSettings=${openSettings} />`}
      ${usage && html`<${BudgetBanner} global=${usage.global} />`}
      <${Tabs} tabs=${tabs} selected=${tab.id} onSelect=${(/** @type {string} */ id) => (window.location.hash = tabHref(id))}>
        ${content}
      <//>
    </main>
    <${SiteFooter} queue=${queue} version=${config?.version ?? null} />
    ${settings && html`<${settings.SettingsDialog} open=${settingsOpen} onClose=${() => setSettingsOpen(false)} storedKey=${storedKey} byokEnabled=${config ? config.key_modes.byok : null} adminApi=${adminApi} adminToken=${adminToken} onAdminToken=${setAdminToken} />`}
  `;
}

const root = document.getElementById('app');
if (root) render(html`<${App} />`, root);
