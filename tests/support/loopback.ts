import type { Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** A test server listening on 127.0.0.1 whose open connections can all be ended at once. */
export interface LoopbackListener {
  readonly port: number;
  /** Ends every open connection, so that closing the server never waits on a keep-alive or a pending reply. */
  readonly destroyConnections: () => void;
}

/** Starts `server` on 127.0.0.1 at a free port, tracking its connections. */
export async function listenOnLoopback(server: Server): Promise<LoopbackListener> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    destroyConnections: () => {
      for (const socket of sockets) socket.destroy();
    },
  };
}
