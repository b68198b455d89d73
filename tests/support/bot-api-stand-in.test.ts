import { autoRetry } from "@grammyjs/auto-retry";
import { run, type RunnerHandle } from "@grammyjs/runner";
import { Bot, GrammyError, HttpError } from "grammy";
import type { InlineQueryResultArticle, MessageEntity } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  STAND_IN_USERNAME,
  startBotApiStandIn,
  type ApiResponse,
  type BotApiStandIn,
} from "./bot-api-stand-in.js";

const NOT_MODIFIED =
  "Bad Request: message is not modified: specified new message content and reply markup are exactly the " +
  "same as a current content and reply markup of the message";
const QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid";

describe("the Bot API stand-in, driven by grammY and its runner", () => {
  let server: BotApiStandIn;
  let handle: RunnerHandle | undefined;
  let errors: unknown[];

  beforeEach(async () => {
    server = await startBotApiStandIn();
    handle = undefined;
    errors = [];
  });

  afterEach(async () => {
    await handle?.stop();
    await server.close();
  });

  /** A bot talking to the stand-in; botInfo is not preset, so it calls getMe. */
  const newBot = (token = server.token): Bot => {
    const bot = new Bot(token, { client: { apiRoot: server.apiRoot } });
    bot.catch((error) => {
      errors.push(error.error);
    });
    return bot;
  };
  const echo = (bot: Bot): void => {
    bot.on("message:text", (ctx) =>
      ctx.reply(`رد: ${ctx.message.text}`, { reply_parameters: { message_id: ctx.message.message_id } }),
    );
  };
  const resultOf = (response: ApiResponse | undefined): unknown =>
    response?.ok ? response.result : undefined;
  const rejection = async (call: Promise<unknown>): Promise<GrammyError> => {
    try {
      await call;
    } catch (error) {
      if (error instanceof GrammyError) return error;
      throw error;
    }
    throw new Error("expected the call to be refused");
  };

  it("answers a private message through run(bot), recording the reply", { timeout: 15_000 }, async () => {
    const bot = newBot();
    echo(bot);
    handle = run(bot);
    const update = server.privateText(111, "ما آخر الأخبار؟");
    const questionId = update.message?.message_id;

    const [reply] = await server.waitForCalls("sendMessage", 1);
    expect(reply?.payload).toMatchObject({
      chat_id: 111,
      text: "رد: ما آخر الأخبار؟",
      reply_parameters: { message_id: questionId },
    });
    expect(resultOf(reply?.response)).toMatchObject({
      message_id: 2,
      from: { id: server.botInfo.id, is_bot: true, username: STAND_IN_USERNAME },
      chat: { id: 111, type: "private" },
      text: "رد: ما آخر الأخبار؟",
      reply_to_message: { message_id: questionId, text: "ما آخر الأخبار؟" },
    });
    expect(server.calls[0]?.method).toBe("getMe");
    expect(server.calls.map((call) => call.method)).not.toContain("getUpdates");
    expect(server.sentMessages(111)).toEqual([
      { message_id: 2, text: "رد: ما آخر الأخبار؟", reply_parameters: { message_id: questionId } },
    ]);
    expect(errors).toEqual([]);
  });

  it("marks /start as a bot_command, so bot.command matches", { timeout: 15_000 }, async () => {
    const bot = newBot();
    bot.command("start", (ctx) => ctx.reply("أهلاً بك"));
    echo(bot);
    handle = run(bot);

    const start = server.privateText(7, "/start");
    expect(start.message?.entities).toEqual([{ type: "bot_command", offset: 0, length: 6 }]);
    await server.waitForCalls("sendMessage", 1);
    server.privateText(7, "شكراً");
    const [welcome, thanks] = await server.waitForCalls("sendMessage", 2);
    expect(welcome?.payload).toMatchObject({ chat_id: 7, text: "أهلاً بك" });
    expect(thanks?.payload).toMatchObject({ chat_id: 7, text: "رد: شكراً" });
    expect(errors).toEqual([]);
  });

  it(
    "routes /ask@username in a supergroup to bot.command, not /ask@other_bot",
    { timeout: 15_000 },
    async () => {
      const group = -1001234567890;
      const bot = newBot();
      bot.command("ask", (ctx) => ctx.reply(`سؤال: ${ctx.match}`));
      echo(bot);
      handle = run(bot);

      const other = server.groupText(group, 42, "/ask@other_bot مرحبا");
      expect(other.message?.entities).toEqual([{ type: "bot_command", offset: 0, length: 14 }]);
      const [echoed] = await server.waitForCalls("sendMessage", 1);
      expect(echoed?.payload).toMatchObject({ chat_id: group, text: "رد: /ask@other_bot مرحبا" });

      const ask = server.groupText(group, 42, `/ask@${STAND_IN_USERNAME} سؤال`);
      expect(ask.message?.chat).toMatchObject({ id: group, type: "supergroup" });
      expect(ask.message?.entities).toEqual([
        { type: "bot_command", offset: 0, length: 5 + STAND_IN_USERNAME.length },
      ]);
      const [, answered] = await server.waitForCalls("sendMessage", 2);
      expect(answered?.payload).toMatchObject({ chat_id: group, text: "سؤال: سؤال" });

      const text = `@${STAND_IN_USERNAME} ما الجديد؟ /help`;
      expect(server.groupText(group, 42, text).message?.entities).toEqual([
        { type: "mention", offset: 0, length: 1 + STAND_IN_USERNAME.length },
        { type: "bot_command", offset: text.indexOf("/help"), length: 5 },
      ]);
      expect(server.privateText(7, "a@b.c /x/y email@example.com").message?.entities).toBeUndefined();
      expect(errors).toEqual([]);
    },
  );

  it("lets auto-retry get past a scripted 429 with retry_after", { timeout: 15_000 }, async () => {
    const bot = newBot();
    bot.api.config.use(autoRetry({ maxRetryAttempts: 2, maxDelaySeconds: 2 }));
    echo(bot);
    handle = run(bot);
    server.failNext("sendMessage", {
      error_code: 429,
      description: "Too Many Requests: retry after 1",
      retry_after: 1,
    });

    server.privateText(222, "مرحبا");
    const [first, second] = await server.waitForCalls("sendMessage", 2);
    expect(first?.response).toEqual({
      ok: false,
      error_code: 429,
      description: "Too Many Requests: retry after 1",
      parameters: { retry_after: 1 },
    });
    expect(second?.response.ok).toBe(true);
    expect(second?.payload).toEqual(first?.payload);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(900);
    expect(server.sentMessages(222).map((message) => message.text)).toEqual(["رد: مرحبا"]);
    expect(errors).toEqual([]);
  });

  it("checks explicit entities as Telegram does", async () => {
    const bot = newBot();
    const refused = async (text: string, entities: MessageEntity[]) =>
      (await rejection(bot.api.sendMessage(1, text, { entities }))).description;

    const error = await rejection(
      bot.api.sendMessage(1, "مرحبا", { entities: [{ type: "bold", offset: 3, length: 10 }] }),
    );
    expect(error.error_code).toBe(400);
    expect(error.method).toBe("sendMessage");
    expect(error.description).toBe(
      "Bad Request: entity beginning at UTF-16 offset 3 ends after the end of the text at UTF-16 offset 13",
    );
    expect(await refused("مرحبا", [{ type: "bold", offset: 9, length: 1 }])).toBe(
      "Bad Request: entity begins after the end of the text at UTF-16 offset 9",
    );
    expect(await refused("مرحبا", [{ type: "italic", offset: -1, length: 2 }])).toBe(
      "Bad Request: receive an entity with incorrect offset -1",
    );
    expect(await refused("👍 ok", [{ type: "bold", offset: 1, length: 2 }])).toBe(
      "Bad Request: entity begins in a middle of a UTF-16 symbol at byte offset 4",
    );
    expect(
      await refused("مرحبا", [{ type: "sparkle", offset: 0, length: 1 } as unknown as MessageEntity]),
    ).toBe("Bad Request: can't parse MessageEntity: Unsupported type specified");

    // Valid entities are kept, the text trimmed (entities moved with it) and control characters cleaned.
    const sent = await bot.api.sendMessage(1, "  مرحبا\r بك \n", {
      entities: [{ type: "bold", offset: 2, length: 9 }],
    });
    expect(sent.text).toBe("مرحبا بك");
    expect(sent.entities).toEqual([{ type: "bold", offset: 0, length: 8 }]);
    expect(server.sentMessages(1)).toEqual([
      { message_id: 1, text: "مرحبا بك", entities: [{ type: "bold", offset: 0, length: 8 }] },
    ]);
  });

  it("checks the length and emptiness of texts", async () => {
    const bot = newBot();
    expect((await rejection(bot.api.sendMessage(1, "س".repeat(5000)))).description).toBe(
      "Bad Request: message is too long",
    );
    expect((await bot.api.sendMessage(1, "س".repeat(4096))).text).toHaveLength(4096);
    expect((await rejection(bot.api.sendMessage(1, ""))).description).toBe(
      "Bad Request: message text is empty",
    );
    expect((await rejection(bot.api.sendMessage(1, " \n "))).description).toBe(
      "Bad Request: text must be non-empty",
    );
    expect((await rejection(bot.api.sendMessage(1, "x", { parse_mode: "XML" as "HTML" }))).description).toBe(
      "Bad Request: unsupported parse_mode",
    );
  });

  it("parses HTML like TDLib, with its error texts and byte offsets", async () => {
    const bot = newBot();
    const html = async (text: string) => bot.api.sendMessage(1, text, { parse_mode: "HTML" });
    const refused = async (text: string) => (await rejection(html(text))).description;

    const sent = await html(
      '<b>عاجل</b> &amp; <a href="https://example.com/a?b=1&amp;c=2">رابط</a> Tom & Jerry',
    );
    expect(sent.text).toBe("عاجل & رابط Tom & Jerry");
    expect(sent.entities).toEqual([
      { type: "bold", offset: 0, length: 4 },
      { type: "text_link", offset: 7, length: 4, url: "https://example.com/a?b=1&c=2" },
    ]);
    const pre = await html('<pre><code class="language-ts">let x = 1;</code></pre>');
    expect(pre.entities).toEqual([{ type: "pre", offset: 0, length: 10, language: "ts" }]);

    expect(await refused("<b>مرحبا")).toBe(
      `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`,
    );
    expect(await refused("مرحبا <x>")).toBe(
      `Bad Request: can't parse entities: Unsupported start tag "x" at byte offset 11`,
    );
    expect(await refused("1 < 2")).toBe(
      `Bad Request: can't parse entities: Unsupported start tag "" at byte offset 2`,
    );
    expect(await refused("<i>a</b>")).toBe(
      `Bad Request: can't parse entities: Unmatched end tag at byte offset 4, expected "</i>", found "</b>"`,
    );
    expect(await refused("a</b>")).toBe(
      "Bad Request: can't parse entities: Unexpected end tag at byte offset 1",
    );
    expect(await refused("<b></b>")).toBe("Bad Request: text must be non-empty");
  });

  it("answers 50 private chats concurrently, each in its own chat", { timeout: 20_000 }, async () => {
    const bot = newBot();
    // Every handler waits until all 50 are in flight: this only finishes if the runner is concurrent.
    let arrived = 0;
    let allArrived: () => void = () => undefined;
    const barrier = new Promise<void>((resolve) => {
      allArrived = resolve;
    });
    bot.on("message:text", async (ctx) => {
      if (++arrived === 50) allArrived();
      await barrier;
      await ctx.reply(`رد: ${ctx.message.text}`, {
        reply_parameters: { message_id: ctx.message.message_id },
      });
    });
    handle = run(bot);

    const updates = Array.from({ length: 50 }, (_, i) => server.privateText(5000 + i, `سؤال رقم ${i}`));
    await server.waitForCalls("sendMessage", 50, 15_000);
    for (const [i, update] of updates.entries()) {
      const questionId = update.message?.message_id ?? 0;
      expect(server.sentMessages(5000 + i)).toEqual([
        {
          message_id: questionId + 1,
          text: `رد: سؤال رقم ${i}`,
          reply_parameters: { message_id: questionId },
        },
      ]);
    }
    expect(errors).toEqual([]);
  });

  it("edits, deletes, drafts and chat actions, refusing what Telegram refuses", async () => {
    const bot = newBot();
    server.privateText(333, "سؤال");
    const sent = await bot.api.sendMessage(333, "جارٍ البحث…", { reply_parameters: { message_id: 1 } });
    expect(sent.message_id).toBe(2);

    expect((await rejection(bot.api.editMessageText(333, 2, "جارٍ البحث…"))).description).toBe(NOT_MODIFIED);
    const edited = await bot.api.editMessageText(333, 2, "الجواب", {
      entities: [{ type: "bold", offset: 0, length: 6 }],
    });
    expect(edited).toMatchObject({ message_id: 2, text: "الجواب", edit_date: expect.any(Number) as number });
    expect(server.sentMessages(333)).toEqual([
      {
        message_id: 2,
        text: "الجواب",
        entities: [{ type: "bold", offset: 0, length: 6 }],
        reply_parameters: { message_id: 1 },
      },
    ]);
    expect((await rejection(bot.api.editMessageText(333, 99, "x"))).description).toBe(
      "Bad Request: message to edit not found",
    );
    expect((await rejection(bot.api.editMessageText(333, 1, "x"))).description).toBe(
      "Bad Request: message can't be edited",
    );
    expect(await bot.api.editMessageTextInline("inline-1", "نص")).toBe(true);
    expect((await rejection(bot.api.editMessageTextInline("inline-1", "نص"))).description).toBe(NOT_MODIFIED);

    expect(
      (await rejection(bot.api.sendMessage(333, "x", { reply_parameters: { message_id: 77 } }))).description,
    ).toBe("Bad Request: message to be replied not found");
    const loose = await bot.api.sendMessage(333, "x", {
      reply_parameters: { message_id: 77, allow_sending_without_reply: true },
    });
    expect(loose.reply_to_message).toBeUndefined();

    expect(await bot.api.sendChatAction(333, "typing")).toBe(true);
    expect(await bot.api.sendMessageDraft(333, 7, "مسودة")).toBe(true);
    expect((await rejection(bot.api.sendMessageDraft(-1001234567890, 7, "مسودة"))).description).toBe(
      "Bad Request: TEXTDRAFT_PEER_INVALID",
    );
    expect(
      server.calls.filter((call) => call.method === "sendMessageDraft").map((call) => call.payload),
    ).toEqual([
      { chat_id: 333, draft_id: 7, text: "مسودة" },
      { chat_id: -1001234567890, draft_id: 7, text: "مسودة" },
    ]);

    expect(await bot.api.deleteMessage(333, 2)).toBe(true);
    expect(server.sentMessages(333).map((message) => message.message_id)).toEqual([3]);
    expect((await rejection(bot.api.deleteMessage(333, 2))).description).toBe(
      "Bad Request: message to delete not found",
    );
  });

  it("delivers inline queries, button presses and stickers to the bot", { timeout: 15_000 }, async () => {
    const bot = newBot();
    const result: InlineQueryResultArticle = {
      type: "article",
      id: "answer",
      title: "جواب",
      input_message_content: { message_text: "نص الجواب" },
    };
    bot.on("inline_query", (ctx) => ctx.answerInlineQuery([result], { cache_time: 0 }));
    bot.on("callback_query:data", (ctx) =>
      ctx.answerCallbackQuery({ text: `تم: ${ctx.callbackQuery.data}` }),
    );
    bot.on("message:sticker", (ctx) => ctx.reply("ملصق جميل"));
    handle = run(bot);

    const inline = server.inlineQuery(444, "سؤال");
    const press = server.callbackQuery(444, 444, "more:1", 1);
    server.privateSticker(444);
    const [answer] = await server.waitForCalls("answerInlineQuery", 1);
    expect(answer?.payload).toMatchObject({ inline_query_id: inline.inline_query?.id, cache_time: 0 });
    expect(answer?.response).toEqual({ ok: true, result: true });
    const [pressed] = await server.waitForCalls("answerCallbackQuery", 1);
    expect(pressed?.payload).toMatchObject({
      callback_query_id: press.callback_query?.id,
      text: "تم: more:1",
    });
    const [sticker] = await server.waitForCalls("sendMessage", 1);
    expect(sticker?.payload).toMatchObject({ chat_id: 444, text: "ملصق جميل" });

    // A query can be answered once.
    expect((await rejection(bot.api.answerInlineQuery(inline.inline_query?.id ?? "", []))).description).toBe(
      QUERY_INVALID,
    );
    expect((await rejection(bot.api.answerCallbackQuery("no-such-query"))).description).toBe(QUERY_INVALID);
    expect(errors).toEqual([]);
  });

  it("checks inline query answers", async () => {
    const bot = newBot();
    const id = server.inlineQuery(9, "x").inline_query?.id ?? "";
    const article = (n: number): InlineQueryResultArticle => ({
      type: "article",
      id: `r${n}`,
      title: "t",
      input_message_content: { message_text: "m" },
    });
    const refused = async (...args: Parameters<Bot["api"]["answerInlineQuery"]>) =>
      (await rejection(bot.api.answerInlineQuery(...args))).description;

    expect(
      await refused(
        id,
        Array.from({ length: 51 }, (_, n) => article(n)),
      ),
    ).toBe("Bad Request: RESULTS_TOO_MUCH");
    expect(await refused(id, [article(1), article(1)])).toBe("Bad Request: RESULT_ID_DUPLICATE");
    expect(await refused(id, [{ ...article(1), id: undefined } as unknown as InlineQueryResultArticle])).toBe(
      `Bad Request: can't parse inline query result: Can't find field "id"`,
    );
    expect(await refused(id, [], { button: { text: "افتح", start_parameter: "سؤال طويل" } })).toBe(
      "Bad Request: START_PARAM_INVALID",
    );
    expect(
      await bot.api.answerInlineQuery(
        id,
        Array.from({ length: 50 }, (_, n) => article(n)),
        { cache_time: 300, button: { text: "افتح", start_parameter: "ask_1-2" } },
      ),
    ).toBe(true);
  });

  it(
    "speaks the Bot API's HTTP protocol: tokens, unknown methods, forms, long polling",
    { timeout: 15_000 },
    async () => {
      const call = async (method: string, init?: RequestInit, token = server.token) => {
        const response = await fetch(`${server.apiRoot}/bot${token}/${method}`, init);
        return { status: response.status, body: (await response.json()) as ApiResponse };
      };

      expect(await call("getMe", undefined, "123:wrong")).toEqual({
        status: 401,
        body: { ok: false, error_code: 401, description: "Unauthorized" },
      });
      expect(await call("sendPoll", { method: "POST" })).toEqual({
        status: 404,
        body: { ok: false, error_code: 404, description: "Not Found: method not found" },
      });
      expect((await call("getme")).body).toEqual({ ok: true, result: server.botInfo });
      const form = await call("sendMessage", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          chat_id: "5",
          text: "نص",
          entities: '[{"type":"bold","offset":0,"length":2}]',
        }),
      });
      expect(form.body).toMatchObject({
        ok: true,
        result: { chat: { id: 5 }, entities: [{ type: "bold", length: 2 }] },
      });

      // Long polling: released as soon as an update is pushed.
      const started = Date.now();
      const poll = call("getUpdates?timeout=10");
      await new Promise((resolve) => setTimeout(resolve, 100));
      const pushed = server.privateText(5, "مرحبا");
      const polled = await poll;
      expect(Date.now() - started).toBeLessThan(2000);
      expect(polled.body).toEqual({ ok: true, result: [pushed] });
      // Not confirmed yet: offset 0 gets it again; offset = id + 1 confirms it.
      expect(resultOf((await call("getUpdates")).body)).toEqual([pushed]);
      expect(resultOf((await call(`getUpdates?offset=${pushed.update_id + 1}`)).body)).toEqual([]);

      // limit, and a timeout with nothing to deliver.
      const [a, b] = [server.privateText(5, "1"), server.privateText(5, "2")];
      expect(resultOf((await call(`getUpdates?offset=${a.update_id}&limit=1`)).body)).toEqual([a]);
      expect(resultOf((await call(`getUpdates?offset=${b.update_id + 1}`)).body)).toEqual([]);
      const quiet = Date.now();
      expect((await call("getUpdates?timeout=1")).body).toEqual({ ok: true, result: [] });
      expect(Date.now() - quiet).toBeGreaterThanOrEqual(900);

      // A second poller ends the first with 409, as Telegram does.
      const first = call("getUpdates?timeout=10");
      await new Promise((resolve) => setTimeout(resolve, 100));
      const second = call("getUpdates?timeout=10");
      expect(await first).toEqual({
        status: 409,
        body: {
          ok: false,
          error_code: 409,
          description:
            "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
        },
      });
      // close() releases the pending poll with no updates.
      await new Promise((resolve) => setTimeout(resolve, 100));
      await server.close();
      expect(await second).toEqual({ status: 200, body: { ok: true, result: [] } });
      await expect(server.waitForCalls("sendMessage", 5)).rejects.toThrow(/closed/);
    },
  );

  it("stops and closes promptly, leaving no timers or sockets behind", { timeout: 15_000 }, async () => {
    const count = (): Map<string, number> => {
      const counts = new Map<string, number>();
      for (const name of process.getActiveResourcesInfo()) counts.set(name, (counts.get(name) ?? 0) + 1);
      return counts;
    };
    const before = count();
    const bot = newBot();
    bot.api.config.use(autoRetry({ maxRetryAttempts: 2, maxDelaySeconds: 2 }));
    echo(bot);
    handle = run(bot);
    server.privateText(1, "مرحبا");
    await server.waitForCalls("sendMessage", 1);
    // Let the runner start its next long poll.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(handle.isRunning()).toBe(true);

    const stopping = Date.now();
    await handle.stop();
    await server.close();
    expect(Date.now() - stopping).toBeLessThan(1000);
    expect(handle.isRunning()).toBe(false);

    // Sockets close on the next turns of the event loop.
    let after = count();
    const grown = () =>
      ["Timeout", "TCPSocketWrap", "TCPServerWrap"].filter(
        (name) => (after.get(name) ?? 0) > (before.get(name) ?? 0),
      );
    for (let i = 0; i < 100 && grown().length > 0; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      after = count();
    }
    expect(grown()).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe("the Bot API stand-in's faults: delays, dropped connections, outages", () => {
  let server: BotApiStandIn;
  let handle: RunnerHandle | undefined;

  beforeEach(async () => {
    server = await startBotApiStandIn();
    handle = undefined;
  });

  afterEach(async () => {
    await handle?.stop();
    await server.close();
  });

  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  /** A JSON POST, as grammY sends it; resolves with the answer's body. */
  const call = async (
    method: string,
    parameters: object = {},
    signal?: AbortSignal,
  ): Promise<ApiResponse> => {
    const response = await fetch(`${server.apiRoot}/bot${server.token}/${method}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(parameters),
      ...(signal ? { signal } : {}),
    });
    return (await response.json()) as ApiResponse;
  };
  /** What a call that got no HTTP answer failed with: the network error's code, or its message. */
  const lostAnswer = async (answer: Promise<unknown>): Promise<string> => {
    try {
      await answer;
    } catch (error) {
      const cause = error instanceof Error ? error.cause : undefined;
      if (cause instanceof Error) return "code" in cause ? String(cause.code) : cause.message;
      return error instanceof Error ? error.name : String(error);
    }
    throw new Error("expected the call to get no answer");
  };
  const RESET = /^(ECONNRESET|UND_ERR_SOCKET|EPIPE)$/;
  const methods = (): string[] => server.calls.map((recorded) => recorded.method);
  const updateIds = (response: ApiResponse): number[] =>
    response.ok && Array.isArray(response.result)
      ? response.result.map((update: { update_id: number }) => update.update_id)
      : [];

  it(
    "delays a call, and never processes one whose client left while it waited",
    { timeout: 5_000 },
    async () => {
      server.delay("sendMessage", 300);
      const controller = new AbortController();
      const abandoned = call("sendMessage", { chat_id: 1, text: "لن تصل" }, controller.signal);
      await sleep(50);
      controller.abort();
      expect(await lostAnswer(abandoned)).toBe("AbortError");

      // The same through grammY, whose api methods take an AbortSignal (typed after the abort-controller package).
      const bot = new Bot(server.token, { botInfo: server.botInfo, client: { apiRoot: server.apiRoot } });
      const grammyController = new AbortController();
      type GrammySignal = Parameters<Bot["api"]["sendMessage"]>[3];
      const grammyAbandoned = bot.api.sendMessage(1, "ولا هذه", {}, grammyController.signal as GrammySignal);
      await sleep(50);
      grammyController.abort();
      await expect(grammyAbandoned).rejects.toThrow(HttpError);

      // Past the delay: neither was processed, recorded or kept as a message.
      await sleep(350);
      expect(methods()).toEqual([]);
      expect(server.sentMessages(1)).toEqual([]);

      const started = Date.now();
      const delivered = await call("sendMessage", { chat_id: 1, text: "تصل" });
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(delivered).toMatchObject({ ok: true, result: { message_id: 1, text: "تصل" } });
      expect(server.calls[0]?.at ?? 0).toBeGreaterThanOrEqual(started + 290);
      expect(server.sentMessages(1)).toEqual([{ message_id: 1, text: "تصل" }]);

      // Other methods are not delayed, and delay(method, 0) ends it.
      const quick = Date.now();
      await call("getMe");
      server.delay("sendMessage", 0);
      await call("sendMessage", { chat_id: 1, text: "فوراً" });
      expect(Date.now() - quick).toBeLessThan(250);
      expect(methods()).toEqual(["sendMessage", "getMe", "sendMessage"]);
    },
  );

  it(
    "delays getUpdates before its offset is applied and its long poll starts",
    { timeout: 5_000 },
    async () => {
      const first = server.privateText(5, "أ");
      server.delay("getupdates", 200);
      const controller = new AbortController();
      const abandoned = call("getUpdates", { offset: first.update_id + 1, timeout: 5 }, controller.signal);
      await sleep(50);
      controller.abort();
      expect(await lostAnswer(abandoned)).toBe("AbortError");
      await sleep(250);
      // The abandoned poll confirmed nothing: the update is still there.
      expect(server.confirmedUpTo()).toBe(0);

      const started = Date.now();
      const polled = call("getUpdates", { timeout: 5 });
      await sleep(100);
      // Pushed while the poll is still waiting to start: it is answered at once when it does.
      const second = server.privateText(5, "ب");
      expect(updateIds(await polled)).toEqual([first.update_id, second.update_id]);
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(190);
      expect(took).toBeLessThan(1000);
    },
  );

  it(
    "drops a call unprocessed: no answer, nothing recorded, no scripted failure used",
    { timeout: 5_000 },
    async () => {
      server.dropNext("sendMessage");
      server.failNext("sendMessage", { error_code: 500, description: "Internal Server Error" });
      expect(await lostAnswer(call("sendMessage", { chat_id: 2, text: "ضاعت" }))).toMatch(RESET);
      expect(methods()).toEqual([]);
      expect(server.sentMessages(2)).toEqual([]);

      // The next call gets the scripted failure, the one after it is answered; message ids were not used up.
      expect(await call("sendMessage", { chat_id: 2, text: "خطأ" })).toMatchObject({
        ok: false,
        error_code: 500,
      });
      expect(await call("sendMessage", { chat_id: 2, text: "وصلت" })).toMatchObject({
        ok: true,
        result: { message_id: 1 },
      });
      expect(server.sentMessages(2)).toEqual([{ message_id: 1, text: "وصلت" }]);

      // A count, through grammY: it sees a network error, not a Bot API error.
      server.dropNext("getMe", 2);
      const bot = new Bot(server.token, { botInfo: server.botInfo, client: { apiRoot: server.apiRoot } });
      await expect(bot.api.getMe()).rejects.toThrow(HttpError);
      await expect(bot.api.getMe()).rejects.toThrow(HttpError);
      expect(await bot.api.getMe()).toEqual(server.botInfo);
      expect(methods()).toEqual(["sendMessage", "sendMessage", "getMe"]);
    },
  );

  it("drops a processed call: recorded and sent, but its answer lost", { timeout: 5_000 }, async () => {
    server.dropNext("sendMessage", 2, { processed: true });
    const recorded = server.waitForCalls("sendMessage", 2, 1000);
    expect(await lostAnswer(call("sendMessage", { chat_id: 3, text: "وصلت ١" }))).toMatch(RESET);
    expect(await lostAnswer(call("sendMessage", { chat_id: 3, text: "وصلت ٢" }))).toMatch(RESET);
    expect((await recorded).map((recordedCall) => recordedCall.response.ok)).toEqual([true, true]);
    expect(server.sentMessages(3)).toEqual([
      { message_id: 1, text: "وصلت ١" },
      { message_id: 2, text: "وصلت ٢" },
    ]);
    // A bot retrying it would send the message twice, as it would with Telegram.
    expect(await call("sendMessage", { chat_id: 3, text: "وصلت ٢" })).toMatchObject({
      ok: true,
      result: { message_id: 3 },
    });

    // getUpdates: the updates were handed out, but the answer was lost, so they come again.
    const update = server.privateText(3, "سؤال");
    server.dropNext("getUpdates", 1, { processed: true });
    expect(await lostAnswer(call("getUpdates", { offset: update.update_id - 5 }))).toMatch(RESET);
    expect(server.confirmedUpTo()).toBe(update.update_id - 6);
    expect(updateIds(await call("getUpdates"))).toEqual([update.update_id]);

    // A dropped long poll is cut when it would have been answered.
    server.dropNext("getUpdates", 1, { processed: true });
    const poll = lostAnswer(call("getUpdates", { offset: update.update_id + 1, timeout: 5 }));
    await sleep(100);
    expect(server.confirmedUpTo()).toBe(update.update_id);
    const started = Date.now();
    const next = server.privateText(3, "سؤال آخر");
    expect(await poll).toMatch(RESET);
    expect(Date.now() - started).toBeLessThan(500);
    expect(updateIds(await call("getUpdates"))).toEqual([next.update_id]);
  });

  it(
    "during an outage resets every connection, then recovers with its state kept",
    { timeout: 5_000 },
    async () => {
      const before = await call("sendMessage", { chat_id: 4, text: "قبل" });
      expect(before).toMatchObject({ ok: true, result: { message_id: 1 } });
      const queued = server.privateText(4, "في الطابور");
      server.delay("sendMessage", 5000);
      const delayed = lostAnswer(call("sendMessage", { chat_id: 4, text: "مؤجلة" }));
      const poll = lostAnswer(call("getUpdates", { offset: queued.update_id + 1, timeout: 10 }));
      await sleep(100);

      server.outage(true);
      // The pending long poll and the delayed call are cut; the delayed call is not processed.
      expect(await poll).toMatch(RESET);
      expect(await delayed).toMatch(RESET);
      server.delay("sendMessage", 0);
      expect(await lostAnswer(call("getMe"))).toMatch(RESET);
      expect(await lostAnswer(call("sendMessage", { chat_id: 4, text: "أثناء" }))).toMatch(RESET);
      const bot = new Bot(server.token, { botInfo: server.botInfo, client: { apiRoot: server.apiRoot } });
      await expect(bot.api.getMe()).rejects.toThrow(HttpError);
      // Updates keep arriving at "Telegram" during the outage.
      const during = server.privateText(4, "أثناء الانقطاع");

      server.outage(false);
      expect(updateIds(await call("getUpdates", { offset: queued.update_id + 1 }))).toEqual([
        during.update_id,
      ]);
      expect(server.confirmedUpTo()).toBe(queued.update_id);
      expect(await call("sendMessage", { chat_id: 4, text: "بعد" })).toMatchObject({
        ok: true,
        result: { message_id: 4 },
      });
      expect(server.sentMessages(4).map((message) => message.text)).toEqual(["قبل", "بعد"]);
      expect(methods()).toEqual(["sendMessage", "sendMessage"]);
    },
  );

  it(
    "lets a running bot ride out an outage, answering what arrived meanwhile",
    { timeout: 5_000 },
    async () => {
      const bot = new Bot(server.token, { botInfo: server.botInfo, client: { apiRoot: server.apiRoot } });
      bot.on("message:text", (ctx) => ctx.reply(`رد: ${ctx.message.text}`));
      handle = run(bot, { runner: { retryInterval: 50, silent: true } });
      server.privateText(6, "الأولى");
      await server.waitForCalls("sendMessage", 1, 1000);
      await sleep(100);

      server.outage(true);
      const during = server.privateText(6, "الثانية");
      await sleep(300);
      expect(server.calls.filter((recorded) => recorded.method === "sendMessage")).toHaveLength(1);
      expect(server.confirmedUpTo()).toBe(during.update_id - 1);

      server.outage(false);
      await server.waitForCalls("sendMessage", 2, 1000);
      expect(server.sentMessages(6).map((message) => message.text)).toEqual(["رد: الأولى", "رد: الثانية"]);
    },
  );

  it(
    "reports the update_id a getUpdates offset confirmed, never going back",
    { timeout: 5_000 },
    async () => {
      expect(server.confirmedUpTo()).toBe(0);
      const [a, b] = [server.privateText(7, "1"), server.privateText(7, "2")];
      expect(updateIds(await call("getUpdates"))).toEqual([a.update_id, b.update_id]);
      // Delivered is not confirmed.
      expect(server.confirmedUpTo()).toBe(0);
      expect(updateIds(await call("getUpdates", { offset: b.update_id + 1 }))).toEqual([]);
      expect(server.confirmedUpTo()).toBe(b.update_id);
      await call("getUpdates", { offset: a.update_id });
      expect(server.confirmedUpTo()).toBe(b.update_id);

      // A negative offset forgets all but the last updates.
      const [, d, e] = [server.privateText(7, "3"), server.privateText(7, "4"), server.privateText(7, "5")];
      expect(updateIds(await call("getUpdates", { offset: -1 }))).toEqual([e.update_id]);
      expect(server.confirmedUpTo()).toBe(d.update_id);

      // A scripted failure or a dropped call confirms nothing.
      server.failNext("getUpdates", { error_code: 502, description: "Bad Gateway" });
      expect(await call("getUpdates", { offset: e.update_id + 1 })).toMatchObject({
        ok: false,
        error_code: 502,
      });
      server.dropNext("getUpdates");
      expect(await lostAnswer(call("getUpdates", { offset: e.update_id + 1 }))).toMatch(RESET);
      expect(server.confirmedUpTo()).toBe(d.update_id);
    },
  );

  it("closes promptly during a delay and during an outage", { timeout: 5_000 }, async () => {
    const count = (): Map<string, number> => {
      const counts = new Map<string, number>();
      for (const name of process.getActiveResourcesInfo()) counts.set(name, (counts.get(name) ?? 0) + 1);
      return counts;
    };
    const resources = count();
    server.delay("sendMessage", 10_000);
    server.delay("getUpdates", 10_000);
    const delayed = lostAnswer(call("sendMessage", { chat_id: 8, text: "مؤجلة" }));
    const poll = lostAnswer(call("getUpdates", { timeout: 10 }));
    await sleep(100);
    let started = Date.now();
    await server.close();
    expect(await delayed).toMatch(RESET);
    expect(await poll).toMatch(RESET);
    expect(Date.now() - started).toBeLessThan(500);
    expect(methods()).toEqual([]);

    const other = await startBotApiStandIn();
    const otherPoll = fetch(`${other.apiRoot}/bot${other.token}/getUpdates?timeout=10`);
    await sleep(100);
    other.outage(true);
    await expect(otherPoll).rejects.toThrow();
    started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(500);

    let after = count();
    const grown = (): string[] =>
      ["Timeout", "TCPSocketWrap", "TCPServerWrap"].filter(
        (name) => (after.get(name) ?? 0) > (resources.get(name) ?? 0),
      );
    for (let i = 0; i < 100 && grown().length > 0; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      after = count();
    }
    expect(grown()).toEqual([]);
  });
});
