module github.com/gatewaykit/gateway

go 1.26
