// The curls written in the README and in examples/*.yaml say in a trailing comment what they show, in one of
// two forms, and the tests hold them to it:
//   curl -s localhost:8080/user/health          # usersvc receives /health (anything after the path is prose)
//   curl -s -o /dev/null -w '%{http_code}\n' …   # 404            (what the command prints, exactly)
//   curl … -w '%{http_code} %{redirect_url}\n' … # 301 https://www.example.local/user/health
// "<service> receives <path>" is checked against the dev gateway's echo: the request reached that Service's
// cluster with that path.

export type Check = (output: string) => boolean;

/** The check a curl line's comment claims, or undefined when the line has no claim in these forms. */
export function curlClaim(line: string): Check | undefined {
  if (!/^\s*curl\s/.test(line)) return undefined;
  const comment = /\s#\s+(.*)$/.exec(line)?.[1]?.trim();
  if (!comment) return undefined;
  const receives = /^([a-z0-9-]+) receives (\/\S*)/.exec(comment);
  if (receives) {
    const [, service, path] = receives;
    return (out) => {
      try {
        const echo = JSON.parse(out) as { upstream?: string; path?: string };
        return (
          typeof echo.upstream === 'string' && echo.upstream.startsWith(`http://${service}.`) && echo.path === path
        );
      } catch {
        return false;
      }
    };
  }
  const printed = /^\d{3}(?: \S+)?$/.exec(comment);
  if (printed) return (out) => out.trim() === printed[0];
  return undefined;
}

/** The curl commands in a YAML file's comments (`#   curl …`), as a user would paste them. */
export function commentedCurls(yamlText: string): string[] {
  return yamlText
    .split('\n')
    .map((l) => /^#\s+(curl\s.*)$/.exec(l)?.[1])
    .filter((c): c is string => c !== undefined);
}
