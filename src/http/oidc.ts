import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import * as oauth from "oauth4webapi";
import { type OidcSettings, requireSecret } from "../config";
import { sha256 } from "../db/accounts";
import { database } from "../db/client";
import { consumeOidcLogin, OIDC_LOGIN_MS, recordOidcLogin } from "../db/sso";
import { oidcSecrets, sameText } from "../domain/link-tokens";
import type { AppEnv } from "./context";

/**
 * Single sign-on with an OpenID provider through oauth4webapi: the authorization code flow with
 * PKCE (S256), `state` and `nonce`. The state is random; it rides in the `__Host-oidc` cookie
 * (so the callback must come back to the browser that started) and D1 keeps only its hash, used
 * once. The PKCE verifier and the nonce are derived from the state with TOKEN_SECRET.
 */
export const OIDC_COOKIE = "__Host-oidc";
export const OIDC_CALLBACK = "/auth/oidc/callback";

/** A sign-in the callback refuses: the page says `message`; nothing else happened. */
export class OidcRefused extends Error {
  override name = "OidcRefused";
}

/** The provider could not be reached or answered nonsense at the transport level. */
export class OidcUnavailable extends Error {
  override name = "OidcUnavailable";
}

const METADATA_MS = 3600_000;
const servers = new Map<string, { at: number; server: Promise<oauth.AuthorizationServer> }>();

/** Plain http is allowed for a loopback issuer only (settings refuse it elsewhere). */
const httpOptions = (oidc: OidcSettings) => ({
  [oauth.allowInsecureRequests]: oidc.issuer.startsWith("http://"),
  signal: () => AbortSignal.timeout(10_000),
});

/** The provider's discovery document, fetched once an hour per isolate (a failure is not kept). */
function serverOf(oidc: OidcSettings): Promise<oauth.AuthorizationServer> {
  const cached = servers.get(oidc.issuer);
  if (cached && Date.now() - cached.at < METADATA_MS) return cached.server;
  const issuer = new URL(oidc.issuer);
  const server = oauth
    .discoveryRequest(issuer, { algorithm: "oidc", ...httpOptions(oidc) })
    .then((response) => oauth.processDiscoveryResponse(issuer, response));
  servers.set(oidc.issuer, { at: Date.now(), server });
  server.catch(() => servers.delete(oidc.issuer));
  return unavailableOnFailure(server);
}

async function unavailableOnFailure<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isProtocolError(error)) throw new OidcRefused("The sign-in provider's answer did not check out.");
    throw new OidcUnavailable(error instanceof Error ? error.name : "unknown");
  }
}

const isProtocolError = (error: unknown): boolean =>
  error instanceof oauth.OperationProcessingError ||
  error instanceof oauth.ResponseBodyError ||
  error instanceof oauth.AuthorizationResponseError ||
  error instanceof oauth.WWWAuthenticateChallengeError;

const redirectUri = <E extends AppEnv>(c: Context<E>) => `${new URL(c.req.url).origin}${OIDC_CALLBACK}`;

const cookieOptions = { path: "/", secure: true, httpOnly: true, sameSite: "Lax" } as const;

/** Starts a sign-in: records the attempt, sets the state cookie and answers the provider's URL. */
export async function startOidc<E extends AppEnv>(
  c: Context<E>,
  oidc: OidcSettings,
  next: string | null,
): Promise<URL> {
  const secret = requireSecret(c.var.settings, "tokenSecret", "single sign-on derives its PKCE verifier with it");
  const server = await serverOf(oidc);
  if (!server.authorization_endpoint) throw new OidcUnavailable("no authorization_endpoint");
  const state = oauth.generateRandomState();
  const { codeVerifier, nonce } = await oidcSecrets(secret, state);
  const url = new URL(server.authorization_endpoint);
  const params = {
    response_type: "code",
    client_id: oidc.clientId,
    redirect_uri: redirectUri(c),
    scope: "openid email",
    state,
    nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  await recordOidcLogin(database(c.env.DB), { stateHash: await sha256(state), next, now: Date.now() });
  setCookie(c, OIDC_COOKIE, state, { ...cookieOptions, maxAge: Math.floor(OIDC_LOGIN_MS / 1000) });
  return url;
}

/**
 * The provider's return: the state must be this browser's (its cookie) and unused; then the code
 * is exchanged (with the verifier) and the ID token checked (issuer, audience, expiry, nonce,
 * signature against the provider's keys). Answers the verified e-mail and the stored `next`.
 */
export async function finishOidc<E extends AppEnv>(
  c: Context<E>,
  oidc: OidcSettings,
): Promise<{ email: string; next: string | null }> {
  const secret = requireSecret(c.var.settings, "tokenSecret", "single sign-on derives its PKCE verifier with it");
  const current = new URL(c.req.url);
  const state = current.searchParams.get("state") ?? "";
  const cookie = getCookie(c, OIDC_COOKIE) ?? "";
  deleteCookie(c, OIDC_COOKIE, cookieOptions);
  if (!state || state.length > 128 || !sameText(state, cookie)) {
    throw new OidcRefused("This sign-in was not started in this browser, or it was already finished.");
  }
  const login = await consumeOidcLogin(database(c.env.DB), await sha256(state), Date.now());
  if (!login) throw new OidcRefused("This sign-in was already used or took longer than 10 minutes.");

  const server = await serverOf(oidc);
  const client: oauth.Client = { client_id: oidc.clientId };
  const { codeVerifier, nonce } = await oidcSecrets(secret, state);
  const claims = await unavailableOnFailure(
    (async () => {
      const params = oauth.validateAuthResponse(server, client, current, state);
      const options = httpOptions(oidc);
      const response = await oauth.authorizationCodeGrantRequest(
        server,
        client,
        oauth.ClientSecretBasic(oidc.clientSecret),
        params,
        redirectUri(c),
        codeVerifier,
        options,
      );
      const result = await oauth.processAuthorizationCodeResponse(server, client, response, {
        expectedNonce: nonce,
        requireIdToken: true,
      });
      await oauth.validateApplicationLevelSignature(server, response, options);
      return oauth.getValidatedIdTokenClaims(result);
    })(),
  );
  const email = typeof claims?.email === "string" ? claims.email.trim().toLowerCase() : "";
  if (!email || claims?.email_verified !== true || !/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) {
    throw new OidcRefused("The sign-in provider did not confirm an e-mail address for this account.");
  }
  return { email, next: login.next };
}
