# Ward as a container (R-OPS-1; docs/scaling.md). Multi-stage: the build stage installs the locked
# dependencies (native addons built against Node's own headers); the run stage holds only what runs,
# as a non-root user, and is meant for a read-only root filesystem: Ward writes only to its data
# directory (/var/lib/ward, a volume: keyring, audit signing key and published heads, operator socket)
# and /tmp (a tmpfs). The dashboard is built into web/dist in the build stage (Vite); nothing is
# built or downloaded at run time.
#
#   docker build -t ward .
#   docker run --read-only --tmpfs /tmp -v ward-data:/var/lib/ward -p 8080:8080 \
#     -e WARD_ORIGIN=https://ward.example.org -e WARD_MIGRATION_DATABASE_URL=… -e WARD_DATABASE_URL=… ward
# compose.yaml runs it beside PostgreSQL.

FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
COPY contracts/package.json contracts/
COPY server/package.json server/
COPY web/package.json web/
RUN npm ci --no-audit --no-fund --loglevel=error
COPY . .
# Checks that the tree type-checks before an image is made of it, then drops the development tools.
RUN npm run lint && npm run build:web && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS run
WORKDIR /app
ENV NODE_ENV=production \
    WARD_HOST=0.0.0.0 \
    WARD_PORT=8080 \
    WARD_DATA_DIR=/var/lib/ward \
    WARD_METRICS_ADDRESS=0.0.0.0:9464
COPY --from=build --chown=root:root /app /app
RUN install -d -o node -g node -m 0700 /var/lib/ward
USER node
EXPOSE 8080 9464
VOLUME ["/var/lib/ward"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s CMD node -e "fetch('http://127.0.0.1:'+process.env.WARD_PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--import", "tsx", "server/src/main.ts"]
