# syntax=docker/dockerfile:1.7
# One image per app: docker build --build-arg APP=events .   (skaffold.yaml sets APP per artifact)
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# The base image already is Node 24: skip install scripts (they would only fetch the `node` devDependency).
RUN npm install --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY scripts ./scripts
COPY libs ./libs
COPY apps ./apps
RUN node scripts/build.mts && npm prune --omit=dev --ignore-scripts

FROM ${NODE_IMAGE} AS runtime
ARG APP
RUN test -n "$APP" || (echo "build with --build-arg APP=<gateway|auth|events|registrations|reviews|notifications>" && false)
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist/libs ./dist/libs
COPY --from=build /src/dist/apps/${APP} ./dist/apps/${APP}
RUN ln -s /app/dist/apps/${APP}/src/main.js /app/main.js
# The image's unprivileged user; the pod's securityContext also enforces runAsNonRoot.
USER 1000:1000
EXPOSE 3000
CMD ["node", "--enable-source-maps", "/app/main.js"]
