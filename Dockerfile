# The Pindai image: `pindai serve` by default, `pindai worker` for extra job runners.
# Built by docker-compose.yml; runs the TypeScript sources through tsx (no build step).
FROM node:20.20.2-bookworm-slim

ENV NODE_ENV=production \
    PINDAI_DATA_DIR=/data \
    PINDAI_HOST=0.0.0.0 \
    PINDAI_PORT=3000

WORKDIR /app
COPY package.json package-lock.json ./
# Prebuilt binaries for sharp and better-sqlite3 come with the npm packages.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY core ./core
COPY ingest ./ingest
COPY search ./search
COPY server ./server
COPY workers ./workers
COPY scripts ./scripts
COPY tsconfig.json ./

RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
ENTRYPOINT ["node", "bin/pindai.js"]
CMD ["serve"]
