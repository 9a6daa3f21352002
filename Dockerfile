# warnflow web and worker image (one image, two commands). Kept correct by reading: this machine
# has no Docker engine. Build: docker build -t warnflow .
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node_modules/.bin/tsc -p tsconfig.json && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production TZ=Asia/Shanghai WARNFLOW_BIND=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/templates ./templates
COPY --from=build /app/web/public ./web/public
USER node
EXPOSE 3000
CMD ["node", "dist/web/server.js"]
