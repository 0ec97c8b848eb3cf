import path from 'node:path';
import type { NextConfig } from 'next';

const config: NextConfig = {
  // npm workspaces hoist node_modules to the repository root
  turbopack: { root: path.resolve(__dirname, '../..') },
  transpilePackages: ['@lesionlab/contracts', '@lesionlab/mask'],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
