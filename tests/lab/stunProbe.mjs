// Run inside a home namespace (`ip netns exec h-… node tests/lab/stunProbe.mjs HOST PORT…`): ONE UDP socket
// sends a STUN Binding request (RFC 8489) to each port of HOST and prints, as JSON, the public port each
// answer reports (XOR-MAPPED-ADDRESS), or null where none came within 2 s. A NAT with endpoint-independent
// mapping gives the same port for every destination; a symmetric one a new port per destination.
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';

const [host, ...ports] = process.argv.slice(2);
const COOKIE = 0x2112a442;
const socket = createSocket('udp4');
const pending = new Map();
const mapped = Object.fromEntries(ports.map((p) => [p, null]));

socket.on('message', (msg, from) => {
  const port = pending.get(msg.subarray(8, 20).toString('hex'));
  if (port === undefined) return;
  for (let at = 20; at + 4 <= msg.length;) {
    const type = msg.readUInt16BE(at);
    const len = msg.readUInt16BE(at + 2);
    if (type === 0x0020)
      mapped[port] = {
        address: [0, 1, 2, 3].map((i) => msg[at + 8 + i] ^ msg[4 + i]).join('.'),
        port: msg.readUInt16BE(at + 6) ^ (COOKIE >>> 16),
        from: from.port,
      };
    at += 4 + Math.ceil(len / 4) * 4;
  }
  if (Object.values(mapped).every(Boolean)) finish();
});

function finish() {
  console.log(JSON.stringify(mapped));
  socket.close();
  process.exit(0);
}

socket.bind(0, () => {
  for (const port of ports) {
    const tid = randomBytes(12);
    const req = Buffer.alloc(20);
    req.writeUInt16BE(0x0001, 0);
    req.writeUInt16BE(0, 2);
    req.writeUInt32BE(COOKIE, 4);
    tid.copy(req, 8);
    pending.set(tid.toString('hex'), port);
    socket.send(req, Number(port), host);
  }
  setTimeout(finish, 2000);
});
