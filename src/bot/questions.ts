import { Composer, type Context } from "grammy";
import { answerInChat, type BotDependencies } from "./deliver-answer.js";
import { BOT_MESSAGES } from "./messages.js";
import { say } from "./say.js";

/**
 * Questions in plain text: every text message in a private chat; in groups, a reply to one of the bot's
 * messages (a follow-up in that conversation) or a message that mentions the bot. Other group chatter is
 * ignored. Unknown commands and non-text messages get a short Arabic reply where the bot was addressed.
 * Edited messages are ignored: the answer to the original stands, and a new question can be asked.
 */
export function createQuestionComposer(deps: BotDependencies): Composer<Context> {
  const composer = new Composer<Context>();
  const privateChats = composer.chatType("private");
  const groups = composer.chatType(["group", "supergroup"]);

  privateChats.on("message:text", async (ctx) => {
    // A message sent through this bot's inline mode is an answer being shared, not a question.
    if (ctx.message.via_bot?.id === ctx.me.id) return;
    if (ctx.message.text.startsWith("/")) await say(ctx, deps.limits, BOT_MESSAGES.unknownCommand);
    else await answerInChat(ctx, ctx.message.text, deps);
  });
  privateChats.on("message", (ctx) => say(ctx, deps.limits, BOT_MESSAGES.notText));

  groups.on("message:text", async (ctx) => {
    const username = ctx.me.username;
    const text = ctx.message.text;
    if (text.startsWith("/")) {
      // Only commands addressed to this bot get an answer; others belong to other bots.
      if (new RegExp(`^/\\w+@${username}\\b`, "i").test(text))
        await say(ctx, deps.limits, BOT_MESSAGES.unknownCommand);
      return;
    }
    const repliesToBot = ctx.message.reply_to_message?.from?.id === ctx.me.id;
    const mention = new RegExp(`@${username}\\b`, "gi");
    if (!repliesToBot && !mention.test(text)) return;
    const question = text.replace(mention, "").trim();
    if (question === "") await say(ctx, deps.limits, BOT_MESSAGES.askWithoutQuestion);
    else await answerInChat(ctx, question, deps);
  });
  groups.on("message", async (ctx) => {
    if (ctx.message.reply_to_message?.from?.id === ctx.me.id)
      await say(ctx, deps.limits, BOT_MESSAGES.notText);
  });

  return composer;
}
