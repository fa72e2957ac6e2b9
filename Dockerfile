# syntax=docker/dockerfile:1
# The locust-operator image: compiled with the repository's pinned Node.js (24.21.0, the `node`
# devDependency), run on distroless Node.js 24 (no shell, no package manager) as a non-root user.
# Runs with a read-only root filesystem: nothing is written outside /tmp (an emptyDir in the chart).
# For reproducible builds, pin both base images by digest in your registry mirror.

FROM node:24.21.0-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# No install scripts: `prepare` would build before the sources are here, and the `node`
# devDependency would fetch a second Node.js that this image already is.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN node node_modules/typescript/bin/tsc -p tsconfig.build.json

FROM node:24.21.0-bookworm-slim AS runtime-deps
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM gcr.io/distroless/nodejs24-debian12:nonroot
WORKDIR /app
ENV NODE_ENV=production
COPY --from=runtime-deps /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
# "type": "module" in package.json makes dist/*.js ES modules.
COPY package.json ./
# Numeric, so the kubelet can check runAsNonRoot without reading /etc/passwd (the chart sets it).
USER 65532:65532
EXPOSE 8081 8080 9443
ENTRYPOINT ["/nodejs/bin/node", "dist/main.js"]
