# The embeddings CLI (npm run cli) as a container for batch engines: Kubernetes Indexed Jobs and
# AWS Batch array jobs start N copies, each runs `run --plan /job` on its shard (docs/scale-out.md).
# No browser inside: only Node, the CLI's TypeScript and onnxruntime-node's CPU binaries.
#
# Build after `npm run models` (the converted Presto/Galileo-nano ONNX files in public/models are
# build products, copied in here so every shard checks the same bytes against the plan's SHA-256):
#   npm run models && docker build -t embeddings-cli .
FROM node:20-bookworm-slim

WORKDIR /app

# `npm ci` with the dev dependencies: the CLI runs its TypeScript through tsx and uses
# onnxruntime-node, both devDependencies of the app (the browser app needs neither), so
# `--omit=dev` cannot be used. .npmrc skips onnxruntime-node's optional GPU download.
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund && npm cache clean --force

# Only what the CLI imports: its scripts, the range server a pack is read through, the library,
# the model manifests and the converted models.
COPY tsconfig.json ./
COPY scripts ./scripts
COPY server ./server
COPY src/lib ./src/lib
COPY models ./models
COPY public/models ./public/models

# Run as the image's unprivileged user; the job folder is a mounted volume it can write.
USER node
ENV NODE_OPTIONS=--max-old-space-size=6144
ENTRYPOINT ["node", "--import", "tsx", "scripts/cli.ts"]
CMD ["--help"]
