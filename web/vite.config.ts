import { defineConfig } from "vite";

// `npm run dev` serves the dashboard on :5173 and sends API calls to a gateway on :8080.
export default defineConfig({
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: false,
  },
  server: {
    proxy: {
      "/api": "http://127.0.0.1:8080",
    },
  },
});
