// A small model of Traefik v3 HTTP router rules, enough to ask "which router
// gets this request?" of the rules in docker-compose.yml: matchers Host,
// HostRegexp, Path, PathPrefix; operators !, &&, || and parentheses; values
// in backticks (Traefik rejects single quotes). Anything else fails loudly.

type Request = { host: string; path: string };
type Matcher = (request: Request) => boolean;

/**
 * Go RE2 pattern -> JS RegExp, for the subset both engines agree on.
 * Handled: a leading (?i) flag and \Q…\E literal spans. Rejected: RE2-only
 * syntax JS would silently read differently.
 */
export function goRegexp(pattern: string): RegExp {
  let flags = "";
  let source = pattern;
  if (source.startsWith("(?i)")) {
    flags = "i";
    source = source.slice(4);
  }
  source = source.replace(/\\Q([\s\S]*?)(?:\\E|$)/g, (_, literal: string) => literal.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&"));
  if (/\(\?P?<|\\[zApP]|\[\[:|\(\?[a-zA-Z]/.test(source)) {
    throw new Error(`Go-only regexp syntax, check it by hand: ${pattern}`);
  }
  return new RegExp(source, flags);
}

export function parseRule(rule: string): Matcher {
  const tokens = rule.match(/`[^`]*`|&&|\|\||[!(),]|[A-Za-z]+|\S/g) ?? [];
  let at = 0;
  const peek = () => tokens[at];
  const expect = (token: string) => {
    if (tokens[at] !== token) throw new Error(`rule ${rule}: expected ${token} at token ${at}, got ${tokens[at]}`);
    at++;
  };
  const value = () => {
    const token = tokens[at++];
    if (!token?.startsWith("`")) throw new Error(`rule ${rule}: expected a backtick-quoted value, got ${token}`);
    return token.slice(1, -1);
  };

  const matcher = (): Matcher => {
    const name = tokens[at++];
    expect("(");
    const argument = value();
    expect(")");
    switch (name) {
      case "Host": {
        const host = argument.toLowerCase();
        return (request) => request.host.toLowerCase() === host;
      }
      case "HostRegexp": {
        const regexp = goRegexp(argument);
        // Go's MatchString is unanchored, like RegExp.test.
        return (request) => regexp.test(request.host);
      }
      case "Path":
        return (request) => request.path === argument;
      case "PathPrefix":
        return (request) => request.path.startsWith(argument);
      default:
        throw new Error(`rule ${rule}: matcher ${name} is not modelled here`);
    }
  };
  const unary = (): Matcher => {
    if (peek() === "!") {
      at++;
      const inner = unary();
      return (request) => !inner(request);
    }
    if (peek() === "(") {
      at++;
      const inner = or();
      expect(")");
      return inner;
    }
    return matcher();
  };
  const and = (): Matcher => {
    let left = unary();
    while (peek() === "&&") {
      at++;
      const [l, r] = [left, unary()];
      left = (request) => l(request) && r(request);
    }
    return left;
  };
  const or = (): Matcher => {
    let left = and();
    while (peek() === "||") {
      at++;
      const [l, r] = [left, and()];
      left = (request) => l(request) || r(request);
    }
    return left;
  };

  const result = or();
  if (at !== tokens.length) throw new Error(`rule ${rule}: unexpected ${tokens[at]}`);
  return result;
}

/** Every HostRegexp pattern in a rule. */
export const hostRegexps = (rule: string) => [...rule.matchAll(/HostRegexp\(`([^`]*)`\)/g)].map((m) => m[1]!);

/**
 * The router Traefik would pick: highest priority first, and without an
 * explicit priority Traefik v3 uses the rule's length.
 */
export function route<T extends { name: string; rule: string; priority?: number }>(routers: T[], request: Request) {
  return [...routers]
    .sort((a, b) => (b.priority ?? b.rule.length) - (a.priority ?? a.rule.length))
    .find((router) => parseRule(router.rule)(request));
}
