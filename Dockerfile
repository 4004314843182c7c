# The bot in a container: `docker compose up -d` (see compose.yaml and docs/DEPLOYMENT.md).
# tests/e2e/production-install.test.ts runs this file's build-stage RUN commands, CMD and
# HEALTHCHECK on a clean copy of the repository, where Docker itself is not available.

# Build: every dependency, compile to dist/, then drop the development ones.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
RUN npm prune --omit=dev --no-audit --no-fund

# Run: the compiled bot and its production dependencies, as the unprivileged node user.
FROM node:20-slim
ENV NODE_ENV=production \
    CORPUS_DIR=/app/corpus \
    DATA_DIR=/data \
    HEALTH_PORT=8080
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/corpus ./corpus
# Apertium translates Spanish questions and quotes (cross-lingual search is off without it).
RUN apt-get update \
 && apt-get install -y --no-install-recommends apertium-eng-spa \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data && chown node:node /data
USER node
# The documents (mount your own folder) and the feedback log and index snapshot.
VOLUME ["/app/corpus", "/data"]
# The bot finishes replies in flight, saves what is due and exits 0 on SIGTERM.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=2m --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.HEALTH_PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
