import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

/**
 * A small OpenID provider for tests: discovery, JWKS, authorize and token endpoints, one
 * confidential client (`OIDC_TEST_CLIENT`). `GET /authorize` signs the user in at once and
 * redirects back with a code; the test names that user with `test_email` (what a person would
 * type at the provider) and scripts a misbehaving provider with `test_nonce` (an ID token with
 * another nonce), `test_issuer` (another `iss`), `test_unverified=1` (`email_verified: false`).
 * `POST /token` checks the client's secret (Basic or form), the redirect URI, PKCE S256, and
 * hands each code out once.
 */
export const OIDC_TEST_CLIENT = { id: "tickets-test", secret: "oidc-test-secret-0123456789" };

interface Grant {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce: string;
  email: string;
  issuer: string;
  verified: boolean;
}

export async function startOidcServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "test-1", alg: "RS256", use: "sig" };
  const grants = new Map<string, Grant>();
  let base = "";

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify(body));
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", base);
    if (req.method === "GET" && url.pathname === "/.well-known/openid-configuration") {
      return send(res, 200, {
        issuer: base,
        authorization_endpoint: `${base}/authorize`,
        token_endpoint: `${base}/token`,
        jwks_uri: `${base}/jwks`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        code_challenge_methods_supported: ["S256"],
        token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
        scopes_supported: ["openid", "email"],
        authorization_response_iss_parameter_supported: true,
      });
    }
    if (req.method === "GET" && url.pathname === "/jwks") return send(res, 200, { keys: [jwk] });
    if (req.method === "GET" && url.pathname === "/authorize") {
      const q = url.searchParams;
      const redirectUri = q.get("redirect_uri") ?? "";
      const problems = [
        q.get("response_type") !== "code" && "response_type must be code",
        q.get("client_id") !== OIDC_TEST_CLIENT.id && "unknown client_id",
        !/^https?:\/\//.test(redirectUri) && "redirect_uri is required",
        !q.get("scope")?.split(" ").includes("openid") && "scope must include openid",
        q.get("code_challenge_method") !== "S256" && "PKCE S256 is required",
        !q.get("code_challenge") && "code_challenge is required",
        !q.get("state") && "state is required",
        !q.get("nonce") && "nonce is required",
      ].filter(Boolean);
      if (problems.length > 0) return send(res, 400, { error: "invalid_request", error_description: problems[0] });
      const code = randomBytes(16).toString("base64url");
      grants.set(code, {
        clientId: q.get("client_id")!,
        redirectUri,
        challenge: q.get("code_challenge")!,
        nonce: q.get("test_nonce") ?? q.get("nonce")!,
        email: q.get("test_email") ?? "sso-user@example.com",
        issuer: q.get("test_issuer") ?? base,
        verified: q.get("test_unverified") !== "1",
      });
      const back = new URL(redirectUri);
      back.searchParams.set("code", code);
      back.searchParams.set("state", q.get("state")!);
      back.searchParams.set("iss", base);
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }
    if (req.method === "POST" && url.pathname === "/token") {
      const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      let clientId = form.get("client_id");
      let secret = form.get("client_secret");
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      if (basic) {
        const [id, pass] = Buffer.from(basic, "base64").toString("utf8").split(":");
        clientId = decodeURIComponent(id ?? "");
        secret = decodeURIComponent(pass ?? "");
      }
      if (clientId !== OIDC_TEST_CLIENT.id || secret !== OIDC_TEST_CLIENT.secret) {
        return send(res, 401, { error: "invalid_client" });
      }
      if (form.get("grant_type") !== "authorization_code") return send(res, 400, { error: "unsupported_grant_type" });
      const code = form.get("code") ?? "";
      const grant = grants.get(code);
      grants.delete(code);
      const verifier = form.get("code_verifier") ?? "";
      const challenge = createHash("sha256").update(verifier).digest("base64url");
      if (!grant || grant.clientId !== clientId || grant.redirectUri !== form.get("redirect_uri")) {
        return send(res, 400, { error: "invalid_grant", error_description: "unknown, used or mismatched code" });
      }
      if (challenge !== grant.challenge) {
        return send(res, 400, { error: "invalid_grant", error_description: "PKCE verification failed" });
      }
      const now = Math.floor(Date.now() / 1000);
      const subject = createHash("sha256").update(grant.email).digest("hex").slice(0, 20);
      const idToken = await new SignJWT({ nonce: grant.nonce, email: grant.email, email_verified: grant.verified })
        .setProtectedHeader({ alg: "RS256", kid: jwk.kid })
        .setIssuer(grant.issuer)
        .setSubject(subject)
        .setAudience(clientId)
        .setIssuedAt(now)
        .setExpirationTime(now + 300)
        .sign(privateKey);
      return send(res, 200, {
        access_token: randomBytes(16).toString("base64url"),
        token_type: "Bearer",
        expires_in: 300,
        id_token: idToken,
      });
    }
    return send(res, 404, { error: "not_found" });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, { error: "server_error" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // Like the other test servers: it must not keep vitest's process alive.
  server.unref();
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
