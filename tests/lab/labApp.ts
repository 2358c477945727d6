import { startAppProcess, type AppProcess } from '../helpers/appProcess';
import { INTERNET_IP } from './network';

/**
 * The production server (Next.js pages + socket.io + built-in STUN) in the lab's internet, listening on
 * every address as `npm start` does; players reach it at the internet address through their routers.
 */
export async function startLabApp(env: Record<string, string> = {}): Promise<AppProcess & { publicUrl: string }> {
  // STUN on its default ports, as `npm start` has it (the lab's internet is a namespace of its own).
  const app = await startAppProcess({ HOST: '0.0.0.0', SEAT_GRACE_MS: '4000', STUN_PORT: '3478', ...env });
  const port = new URL(app.url).port;
  return { ...app, publicUrl: `http://${INTERNET_IP}:${port}` };
}
