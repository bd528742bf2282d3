# Labcoat: one Node process on port 7860 (Hugging Face Spaces, Docker SDK, or `docker run`).

# Build stage: compile TypeScript, then drop dev dependencies.
FROM node:26-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the sources are not here yet; the build runs below.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY server ./server
COPY shared ./shared
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# Runtime stage: compiled server, production node_modules, the page and the config.
FROM node:26-slim
ENV NODE_ENV=production \
    PORT=7860 \
    HOST=0.0.0.0 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json config.yaml ./
COPY --chown=node:node web ./web
COPY --chown=node:node shared ./shared
COPY --chown=node:node catalog ./catalog
COPY --chown=node:node server/features/batch/suites ./server/features/batch/suites
# /data is where state.json lives: Spaces mount persistent storage there; `docker run -v` can too.
RUN mkdir -p /data && chown node:node /data
# The image's non-root user (uid 1000), as Spaces expect.
USER node
EXPOSE 7860
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||7860)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/server/main.js"]
