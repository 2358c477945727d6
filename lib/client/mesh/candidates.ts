/**
 * ICE candidate lines as they appear trickled (`candidate:…`) and in SDP (`a=candidate:…`):
 * `candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> [extensions]`.
 */

/**
 * An active TCP candidate. RFC 6544 pairs these only with passive ones, which neither browsers nor
 * libdatachannel gather: between two peers of ours they can never connect.
 */
export function isActiveTcp(line: string): boolean {
  return line.split(' ', 3)[2]?.toLowerCase() === 'tcp' && / tcptype active(?: |$)/.test(line);
}

/**
 * A candidate's identity: foundation, component, transport, priority, address, port, type. The
 * trickled form carries extensions the SDP line leaves out (Chromium's `ufrag`), so whole lines differ.
 */
export function candidateKey(line: string): string {
  return line.split(' ', 8).join(' ');
}

/** Keys of the candidates embedded in an SDP. */
export function candidatesIn(sdp: string): Set<string> {
  const keys = new Set<string>();
  for (const line of sdp.split('\r\n'))
    if (line.startsWith('a=candidate:')) keys.add(candidateKey(line.slice(2)));
  return keys;
}

/** The SDP without the embedded candidates `keep` rejects (it gets the line without `a=`). */
export function keepSdpCandidates(sdp: string, keep: (candidate: string) => boolean): string {
  if (!sdp.includes('a=candidate:')) return sdp;
  return sdp
    .split('\r\n')
    .filter((line) => !line.startsWith('a=candidate:') || keep(line.slice(2)))
    .join('\r\n');
}
