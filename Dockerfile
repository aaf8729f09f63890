# efd-health: the image of the CronJob and the Argo CD hook Jobs (manifests/ldf/efd-health), and a way to
# run the gate or a manual check anywhere Docker runs.
#   docker build -t lsstsqre/efd-health:0.1.0 .
#   docker run --rm lsstsqre/efd-health:0.1.0 gate --env ldf
#   docker run --rm -e EFD_INFLUXDB_READ_USER -e EFD_INFLUXDB_READ_PASSWORD \
#     lsstsqre/efd-health:0.1.0 run --profile profiles/ldf-tucson.yaml
# The CLI runs its TypeScript sources through tsx, a runtime dependency, so there is no build step; vitest
# (which runs the suites) is a runtime dependency too. Dev-only packages (typescript, @types) stay out.
FROM node:20.19-bookworm-slim

ENV NODE_ENV=production \
    NO_COLOR=1
WORKDIR /app

# dependencies first, so a source change does not re-install them
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY suites ./suites
COPY schemas ./schemas
COPY manifests ./manifests
COPY profiles ./profiles
COPY fixtures ./fixtures

# `efd-health` on the PATH; reports/ and vitest's cache writable by the unprivileged user (in the cluster
# they are emptyDir volumes, the root filesystem being read-only)
RUN chmod +x bin/efd-health.js \
 && ln -s /app/bin/efd-health.js /usr/local/bin/efd-health \
 && mkdir -p reports node_modules/.vite \
 && chown node:node reports node_modules/.vite

# the image's own unprivileged user (uid 1000, as runAsUser in the Jobs)
USER node

ENTRYPOINT ["efd-health"]
CMD ["--help"]
