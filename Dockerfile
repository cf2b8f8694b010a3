# The Portico operator image: `docker build -t <registry>/portico-operator:0.1.0 .`
# Compile TypeScript with the dev dependencies, then ship dist/ with production dependencies only, plus the
# pinned Envoy binary for the operator's check before publishing (README "Performance").

# The same release as manifests/base/envoy/deployment.yaml (test/manifests/dockerfile-envoy.test.ts).
FROM envoyproxy/envoy:v1.40.0 AS envoy

FROM node:20-alpine AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are copied.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY operator ./operator
RUN npm run build

# glibc, not alpine's musl: the Envoy binary is linked against glibc (>= 2.30).
FROM node:20-slim
ENV NODE_ENV=production
COPY --from=envoy /usr/local/bin/envoy /usr/local/bin/envoy
# `portico run` loads the listeners and certificates into this Envoy before it publishes them.
ENV PORTICO_ENVOY=/usr/local/bin/envoy
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` runs tsc, which a production install does not have.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist ./dist
# The CRD YAML is read at run time: the validators are built from it (operator/api/crds.ts).
COPY crds ./crds
# Numeric, so that Kubernetes' runAsNonRoot can check it; matches manifests/base/operator/deployment.yaml.
USER 65532:65532
EXPOSE 8877
ENTRYPOINT ["node", "dist/operator/cli.js"]
CMD ["run"]
