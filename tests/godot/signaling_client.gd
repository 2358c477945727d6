# A Godot 3 signaling client on the engine's own WebSocketClient, speaking the line protocol of Godot's
# webrtc_signaling demo (J/I/N/D/O/A/C/S) exactly as the demo's client does. Run headless:
#   GODOT_URL=ws://host:port/godot [GODOT_LOBBY=CODE] [GODOT_SEAL=1] godot3-server --path tests/godot -s signaling_client.gd
# It prints one line per event for the test to read. No WebRTC: the engine here has no WebRTC plugin,
# so offers, answers and candidates are plain strings of the right shape, relayed through PeerLobby.
extends SceneTree

var client = WebSocketClient.new()
var my_id = 0
var seal_when_done = OS.get_environment("GODOT_SEAL") == "1"
var answered = false
var candidate_in = false
var sealed_sent = false


func _init():
	client.connect("connection_established", self, "_connected")
	client.connect("data_received", self, "_parse_msg")
	client.connect("connection_closed", self, "_closed")
	client.connect("connection_error", self, "_error")
	client.connect("server_close_request", self, "_close_request")
	var err = client.connect_to_url(OS.get_environment("GODOT_URL"))
	if err != OK:
		_say("CONNECT_FAILED %d" % err)
		quit(1)


func _idle(_delta):
	var status = client.get_connection_status()
	if status == WebSocketClient.CONNECTION_CONNECTING or status == WebSocketClient.CONNECTION_CONNECTED:
		client.poll()
	return false


func _say(line):
	print(line)


func _send(text):
	client.get_peer(1).put_packet(text.to_utf8())


func _connected(_protocol = ""):
	client.get_peer(1).set_write_mode(WebSocketPeer.WRITE_MODE_TEXT)
	_send("J: %s\n" % OS.get_environment("GODOT_LOBBY"))


func _parse_msg():
	var pkt_str = client.get_peer(1).get_packet().get_string_from_utf8()
	var req = pkt_str.split("\n", true, 1)
	if req.size() != 2:
		return
	var type = req[0]
	if type.length() < 3:
		return
	if type.begins_with("J: "):
		_say("LOBBY %s" % type.substr(3, type.length() - 3))
		return
	if type.begins_with("S: "):
		_say("SEALED")
		return
	var src_str = type.substr(3, type.length() - 3)
	if not src_str.is_valid_integer():
		return
	var src_id = int(src_str)
	if type.begins_with("I: "):
		my_id = src_id
		_say("ID %d" % src_id)
	elif type.begins_with("N: "):
		_say("PEER_CONNECTED %d" % src_id)
		# The demo's Godot 3 rule: the lower id makes the offer.
		if src_id > my_id:
			_send("O: %d\nv=0 offer from %d" % [src_id, my_id])
	elif type.begins_with("D: "):
		_say("PEER_DISCONNECTED %d" % src_id)
	elif type.begins_with("O: "):
		_say("OFFER %d %s" % [src_id, req[1]])
		_send("A: %d\nv=0 answer from %d" % [src_id, my_id])
		_send("C: %d\n\n%s\n%d\n%s" % [src_id, "0", 0, "candidate:1 1 UDP 1 127.0.0.1 %d typ host" % (9000 + my_id % 1000)])
	elif type.begins_with("A: "):
		_say("ANSWER %d %s" % [src_id, req[1]])
		answered = true
		_send("C: %d\n\n%s\n%d\n%s" % [src_id, "0", 0, "candidate:1 1 UDP 1 127.0.0.1 %d typ host" % (9000 + my_id % 1000)])
		_maybe_seal()
	elif type.begins_with("C: "):
		var candidate = req[1].split("\n", false)
		if candidate.size() != 3 or not candidate[1].is_valid_integer():
			_say("BAD_CANDIDATE")
			return
		_say("CANDIDATE %d %s %d %s" % [src_id, candidate[0], int(candidate[1]), candidate[2]])
		candidate_in = true
		_maybe_seal()


func _maybe_seal():
	if seal_when_done and answered and candidate_in and not sealed_sent:
		sealed_sent = true
		_send("S: \n")


func _close_request(code, reason):
	_say("CLOSE_REQUEST %d %s" % [code, reason])


func _closed(_was_clean = false):
	_say("CLOSED")
	quit(0)


func _error():
	_say("CONNECTION_ERROR")
	quit(1)
