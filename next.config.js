/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The custom server (server/index.ts) owns the http server; Next only renders pages.
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
