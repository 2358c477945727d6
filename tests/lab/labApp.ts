import { startAppProcess, type AppProcess } from '../helpers/appProcess';
import { freeUdpPorts } from '../helpers/stun';
import { INTERNET_IP } from './network';

/**
 * The production server (Next.js pages + socket.io + built-in STUN) in the lab's internet, listening on
 * every address as `npm start` does; players reach it at the internet address through their routers.
 */
export async function startLabApp(
  env: Record<string, string> = {},
): Promise<AppProcess & { publicUrl: string }> {
  // The built-in STUN responder on, as `npm start` has it, on ports of its own: a file may run two servers
  // (with and without TURN), and a second one on 3478 would run without STUN.
  const [stun, stunAlt] = await freeUdpPorts(2);
  const app = await startAppProcess({
    HOST: '0.0.0.0',
    SEAT_GRACE_MS: '4000',
    STUN_PORT: String(stun),
    STUN_ALT_PORT: String(stunAlt),
    ...env,
  });
  const port = new URL(app.url).port;
  return { ...app, publicUrl: `http://${INTERNET_IP}:${port}` };
}
