import type { Context } from "grammy";
import type { ReplyLimits } from "./limits.js";

/**
 * Whose limits an update counts against: the user, or the chat that speaks for them. Anonymous group
 * admins and channels share one user id across all groups: their sender chat tells them apart.
 */
export function limitedUser(ctx: Context): number {
  return ctx.senderChat?.id ?? ctx.from?.id ?? ctx.chat?.id ?? 0;
}

/**
 * Sends a reply that is no answer (a notice, a command's reply) if the user's reply budget allows it:
 * these count against the same per-user limit as answers, so a flood of stickers or commands gets a
 * few replies, not a flood back. Returns whether it was sent.
 */
export async function say(
  ctx: Context,
  limits: ReplyLimits,
  text: string,
  extra?: Parameters<Context["reply"]>[1],
): Promise<boolean> {
  if (!(await limits.admitReply(limitedUser(ctx)))) return false;
  await ctx.reply(text, extra);
  return true;
}
