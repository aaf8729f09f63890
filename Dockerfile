# efd-health: the image of the CronJob and the Argo CD hook Jobs (manifests/ldf/efd-health), and a way to
# run the gate or a manual check anywhere Docker runs.
#   docker build -t lsstsqre/efd-health:0.1.0 .
#   docker run --rm lsstsqre/efd-health:0.1.0 gate --env ldf
#   docker run --rm -e EFD_INFLUXDB_READ_USER -e EFD_INFLUXDB_READ_PASSWORD \
#     lsstsqre/efd-health:0.1.0 run --profile profiles/ldf-tucson.yaml
# Node 22 LTS: @kafkajs/confluent-schema-registry 4 needs it, and Node 20 is past its end of life.
# The CLI runs compiled JavaScript (dist/, built in the first stage with the dev dependencies); the final
# image has only the runtime dependencies. vitest, which runs the suites, is one: it compiles the suites
# and the src/ files they import itself, so src/ ships too.

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:22-bookworm-slim
# EFD_HEALTH_FROM_SOURCE=0: always dist/, whatever the file times (bin/efd-health.js)
ENV NODE_ENV=production \
    NO_COLOR=1 \
    EFD_HEALTH_FROM_SOURCE=0
WORKDIR /app

# dependencies first, so a source change does not re-install them
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

COPY --from=build /app/dist ./dist
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
