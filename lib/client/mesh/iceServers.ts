/** Whether an ICE configuration offers a TURN server (turn: or turns: URL): the mesh and the UI ask. */
export function hasTurnServer(config: Pick<RTCConfiguration, 'iceServers'>): boolean {
  return (config.iceServers ?? []).some((server) =>
    [server.urls].flat().some((url) => /^turns?:/i.test(url)),
  );
}
