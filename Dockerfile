# syntax=docker/dockerfile:1.7
# One image per app: docker build --build-arg APP=events .   (skaffold.yaml sets APP per artifact)
#   deps    production dependencies only, cached until the lockfile changes
#   build   every dependency; compiles every app and lib exactly like `npm run build` (scripts/build.mts)
#   runtime Node 24 slim, non-root: the production dependencies, dist/libs and dist/apps/$APP, nothing else.
# `npm run k8s:build-output` starts each app from that same set of files, so CI knows it runs on its own.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /src
COPY package.json package-lock.json ./
# `npm install`, not `npm ci`: the lockfile lacks other platforms' optional binaries, which `npm ci` insists on.
# --omit=optional also leaves out TypeScript (an optional peer of @nestjs/swagger, needed only to build), and no
# production dependency needs an install script.
RUN --mount=type=cache,target=/root/.npm \
    npm install --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# The base image already is Node 24: skip install scripts (they would only fetch the `node` devDependency).
RUN --mount=type=cache,target=/root/.npm \
    npm install --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY scripts/build.mts ./scripts/build.mts
# The web app's API client is typed from the committed spec; its build lands in dist/apps/gateway/web.
COPY openapi/openapi.json ./openapi/openapi.json
COPY libs ./libs
COPY apps ./apps
RUN node scripts/build.mts

FROM ${NODE_IMAGE} AS runtime
ARG APP
RUN test -n "$APP" || (echo "build with --build-arg APP=<gateway|auth|events|registrations|reviews|notifications>" && false)
# Nothing installs packages at run time: remove the package managers the base image brings.
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
    /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /src/node_modules ./node_modules
COPY --from=build /src/dist/libs ./dist/libs
COPY --from=build /src/dist/apps/${APP} ./dist/apps/${APP}
RUN ln -s /app/dist/apps/${APP}/src/main.js /app/main.js
# No secrets in the image: configuration comes from the environment (ConfigMaps, Secrets) at run time.
# The image's unprivileged user (node, uid 1000); the pod's securityContext also enforces runAsNonRoot.
USER 1000:1000
EXPOSE 3000-3005 50051-50055
CMD ["node", "--enable-source-maps", "/app/main.js"]
