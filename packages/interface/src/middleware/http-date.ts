/**
 * HTTP dates (RFC 9110 section 5.6.7). `formatHttpDate` writes the preferred IMF-fixdate;
 * `parseHttpDate` reads it and the two obsolete forms recipients must accept. They are a
 * pair: `parseHttpDate(formatHttpDate(t))` is `t` rounded down to the second.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const LONG_DAY = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)';
const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const TIME = '(\\d\\d):(\\d\\d):(\\d\\d)';
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d\\d) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC850 = new RegExp(`^${LONG_DAY}, (\\d\\d)-${MONTH}-(\\d\\d) ${TIME} GMT$`);
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ( \\d|\\d\\d) ${TIME} (\\d{4})$`);

/** IMF-fixdate of a time in milliseconds: `Sun, 06 Nov 1994 08:49:37 GMT`. */
export function formatHttpDate(time: number | Date): string {
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) throw new RangeError(`an HTTP date needs a valid time; got ${String(time)}`);
  return date.toUTCString();
}

/** Milliseconds since the epoch of an HTTP date, or undefined when the text is not one. */
export function parseHttpDate(text: string): number | undefined {
  let match = IMF_FIXDATE.exec(text);
  if (match) return build(Number(match[3]), match[2]!, match[1]!, match[4]!, match[5]!, match[6]!);
  match = RFC850.exec(text);
  if (match) {
    // RFC 9110 section 5.6.7: a two-digit year more than 50 years ahead is in the past century.
    let year = 2000 + Number(match[3]);
    if (year > new Date().getUTCFullYear() + 50) year -= 100;
    return build(year, match[2]!, match[1]!, match[4]!, match[5]!, match[6]!);
  }
  match = ASCTIME.exec(text);
  if (match) return build(Number(match[6]), match[1]!, match[2]!.trim(), match[3]!, match[4]!, match[5]!);
  return undefined;
}

function build(year: number, month: string, day: string, hours: string, minutes: string, seconds: string): number | undefined {
  const m = MONTHS.indexOf(month);
  const d = Number(day);
  const time = Date.UTC(year, m, d, Number(hours), Number(minutes), Number(seconds));
  const date = new Date(time);
  // Refuse dates that do not exist (31 Feb) or times out of range (25:00:00).
  if (date.getUTCDate() !== d || date.getUTCHours() !== Number(hours) || date.getUTCMinutes() !== Number(minutes) || date.getUTCSeconds() !== Number(seconds)) {
    return undefined;
  }
  return time;
}
