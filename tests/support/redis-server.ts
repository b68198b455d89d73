import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/** A real redis-server of the tests' own, on a unix socket in a temporary folder (no port to collide). */
export interface RedisServer {
  /** The socket's path: what REDIS_URL takes. */
  readonly socket: string;
  /** Stops the server (SIGTERM: it writes its append-only file first) and starts it again on the same data. */
  restart(): Promise<void>;
  /** Stops the server; the data stays until close(). */
  stop(): Promise<void>;
  /** Starts a stopped server again on the same data (nothing when it is running). */
  start(): Promise<void>;
  /** Stops the server and removes its folder. */
  close(): Promise<void>;
}

const REDIS_SERVER = "redis-server";

/** Whether Debian's redis-server is installed (bash .ci/run installs it when it is missing). */
function assertInstalled(): void {
  const probe = spawnSync(REDIS_SERVER, ["--version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      "redis-server is not installed: apt-get install redis-server (bash .ci/run installs it when missing)",
    );
  }
}

/**
 * Starts redis-server with its data in a temporary folder: no TCP port, an append-only file written on
 * every command (a restart keeps what was written, as a production server with persistence would).
 */
export async function startRedisServer(): Promise<RedisServer> {
  assertInstalled();
  const dir = await mkdtemp(path.join(tmpdir(), "sanad-redis-"));
  const socket = path.join(dir, "redis.sock");
  let child: ChildProcess | undefined;
  let output = "";

  const start = async (): Promise<void> => {
    // A second server on the same socket would take it over from the first: start only a stopped one.
    if (child && child.exitCode === null) return;
    output = "";
    const started = spawn(
      REDIS_SERVER,
      [
        "--port",
        "0",
        "--unixsocket",
        socket,
        "--unixsocketperm",
        "700",
        "--dir",
        dir,
        "--save",
        "",
        "--appendonly",
        "yes",
        "--appendfsync",
        "always",
        "--daemonize",
        "no",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    started.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    started.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child = started;
    const deadline = Date.now() + 10_000;
    while (!(await answersPing(socket))) {
      if (started.exitCode !== null || Date.now() > deadline) {
        started.kill("SIGKILL");
        throw new Error(`redis-server did not start on ${socket}:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) =>
      running.once("exit", () => {
        resolve();
      }),
    );
    running.kill("SIGTERM");
    const timer = setTimeout(() => running.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };

  await start();
  return {
    socket,
    start,
    stop,
    restart: async () => {
      await stop();
      await start();
    },
    close: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Whether a Redis server answers PING on the socket. */
function answersPing(socket: string): Promise<boolean> {
  if (!existsSync(socket)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const connection = createConnection(socket);
    const finish = (value: boolean): void => {
      connection.destroy();
      resolve(value);
    };
    connection.setTimeout(500, () => {
      finish(false);
    });
    connection.once("error", () => {
      finish(false);
    });
    connection.once("connect", () => connection.write("PING\r\n"));
    connection.once("data", (data: Buffer) => {
      finish(data.toString().startsWith("+PONG"));
    });
  });
}
