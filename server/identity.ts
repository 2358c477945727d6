import { createHmac, timingSafeEqual } from 'node:crypto';
import { randomBase64url } from './lobby/randomIds';

/**
 * Device keys: `<deviceId>.<hmac>` signed with the server secret. The browser keeps one in
 * localStorage; bans are recorded against the device id, which the client cannot forge.
 */
export class DeviceKeys {
  constructor(private readonly secret: string) {}

  issue(): { deviceId: string; key: string } {
    const deviceId = randomBase64url(12);
    return { deviceId, key: `${deviceId}.${this.sign(deviceId)}` };
  }

  /** The device id of a valid key, or null. */
  verify(key: string | undefined): string | null {
    if (!key) return null;
    // Exactly `<deviceId>.<mac>`: one key per device, nothing appended.
    const [deviceId, mac, ...rest] = key.split('.');
    if (rest.length || !deviceId || !mac || !/^[A-Za-z0-9_-]{16}$/.test(deviceId)) return null;
    const expected = Buffer.from(this.sign(deviceId));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected) ? deviceId : null;
  }

  private sign(deviceId: string) {
    return createHmac('sha256', this.secret).update(deviceId).digest('base64url').slice(0, 32);
  }
}
