#!/usr/bin/env node
/**
 * Stands in for the firefox-esr binary when puppeteer launches Firefox for a player inside a network
 * namespace (tests/helpers/firefox.ts passes it as `executablePath`). Puppeteer still makes the profile,
 * passes the arguments, reads the BiDi endpoint from stderr, kills the process group and removes the
 * profile; this script only moves Firefox into /run/netns/$PEERLOBBY_FIREFOX_NETNS and bridges its
 * WebDriver BiDi port out.
 *
 * Firefox's BiDi server listens on 127.0.0.1 inside the namespace, which the test runner cannot reach.
 * So each TCP connection to a bridge port on the runner's 127.0.0.1 is piped through a small Node
 * process entered into the namespace (`nsenter --net=… node -e <pipe>`) that connects to Firefox's port.
 * Firefox refuses a WebSocket handshake whose Host header names another port than its own, so the
 * bridge listens first and Firefox is told to listen on the same port number inside the namespace
 * (puppeteer's `--remote-debugging-port=0` is replaced); the endpoint it prints is then right as is.
 * Everything runs in puppeteer's process group, so its kill reaches Firefox and the pipes too.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';

const netns = process.env.PEERLOBBY_FIREFOX_NETNS;
const firefox = process.env.PEERLOBBY_FIREFOX_BIN;
if (!netns || !firefox) {
  console.error('firefoxInNetns.mjs: PEERLOBBY_FIREFOX_NETNS and PEERLOBBY_FIREFOX_BIN must be set');
  process.exit(2);
}
const enter = [`--net=/run/netns/${netns}`, '--'];

// Runs inside the namespace: one connection to Firefox's port, piped to stdin/stdout.
const PIPE = `const s = require('node:net').connect(Number(process.argv[1]), '127.0.0.1');
process.stdin.pipe(s); s.pipe(process.stdout);
s.on('error', () => process.exit(1)); s.on('close', () => process.exit(0));`;

const pipes = new Set();
const server = net.createServer((socket) => {
  const pipe = spawn('nsenter', [...enter, process.execPath, '-e', PIPE, String(port)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  pipes.add(pipe);
  socket.pipe(pipe.stdin);
  pipe.stdout.pipe(socket);
  pipe.on('exit', () => {
    pipes.delete(pipe);
    socket.destroy();
  });
  socket.on('error', () => pipe.kill());
  socket.on('close', () => pipe.kill());
  pipe.stdin.on('error', () => socket.destroy());
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = server.address().port;

const args = process.argv
  .slice(2)
  .map((a) => (a.startsWith('--remote-debugging-port=') ? `--remote-debugging-port=${port}` : a));
const browser = spawn('nsenter', [...enter, firefox, ...args], { stdio: 'inherit' });
browser.on('exit', (code, signal) => {
  server.close();
  for (const p of pipes) p.kill();
  process.exit(code ?? (signal ? 1 : 0));
});
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(sig, () => browser.kill(sig));
