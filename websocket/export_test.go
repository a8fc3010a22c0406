package websocket

// DisconnectHeader exposes the $disconnect header set to tests.
var DisconnectHeader = disconnectHeader
