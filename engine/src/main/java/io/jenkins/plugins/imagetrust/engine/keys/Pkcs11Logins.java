package io.jenkins.plugins.imagetrust.engine.keys;

import java.io.IOException;
import java.security.AuthProvider;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.ProviderException;
import java.security.SecureRandom;
import java.security.Security;
import java.util.HashMap;
import java.util.Map;
import javax.security.auth.login.LoginException;

/**
 * The process-wide PKCS#11 logins, one per module and slot. PKCS#11 login state belongs to the process, not to a
 * session or a SunPKCS11 instance: SunPKCS11 skips {@code C_Login} (and so the PIN check) when the token is already
 * logged in, and one {@code C_Logout} invalidates every signer's key handles. So signers on the same slot share one
 * login, counted; a later open must present the PIN the first one logged in with (compared against a salted digest
 * held in memory); the token is logged out when the last signer closes.
 */
final class Pkcs11Logins {
    private static final Map<String, Login> ACTIVE = new HashMap<>();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Pkcs11Logins() {
    }

    /** One login to one slot, shared by the signers using it. */
    static final class Login {
        private final String slotKey;
        private final AuthProvider provider;
        private final byte[] salt = new byte[32];
        private final byte[] pinDigest;
        private int users = 1;

        private Login(String slotKey, AuthProvider provider, char[] pin) throws KeyException {
            this.slotKey = slotKey;
            this.provider = provider;
            RANDOM.nextBytes(salt);
            this.pinDigest = digest(salt, pin);
        }

        AuthProvider provider() {
            return provider;
        }

        private boolean pinMatches(char[] pin) throws KeyException {
            byte[] candidate = digest(salt, pin);
            try {
                return MessageDigest.isEqual(candidate, pinDigest);
            } finally {
                Secrets.clear(candidate);
            }
        }
    }

    /** Logs in to the slot (checking the PIN with the token) or joins the existing login (checking the PIN here). */
    static synchronized Login acquire(Pkcs11Config config, char[] pin) throws KeyException {
        String slotKey = config.module() + "#" + config.slotDescription();
        Login existing = ACTIVE.get(slotKey);
        if (existing != null) {
            if (!existing.pinMatches(pin)) {
                throw new KeyException("the PKCS#11 token rejected the PIN for " + config.slotDescription()
                        + " (it is not the PIN this process is logged in to the token with)");
            }
            existing.users++;
            return existing;
        }
        AuthProvider provider = configure(config);
        logout(provider); // a login left by other code in this process would make SunPKCS11 skip the PIN check
        login(provider, config, pin);
        Login login = new Login(slotKey, provider, pin);
        ACTIVE.put(slotKey, login);
        return login;
    }

    /** One signer is done; the last one logs the token out. */
    static synchronized void release(Login login) {
        login.users--;
        if (login.users == 0) {
            ACTIVE.remove(login.slotKey);
            logout(login.provider);
        }
    }

    /** A key store view of the logged-in token (no second {@code C_Login}: the token is logged in already). */
    static KeyStore keyStore(Login login, Pkcs11Config config) throws KeyException {
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS11", login.provider());
            keyStore.load(null, null);
            return keyStore;
        } catch (GeneralSecurityException | IOException e) {
            throw new KeyException("could not read the PKCS#11 key store (" + config + "): " + rootMessage(e), e);
        }
    }

    private static AuthProvider configure(Pkcs11Config config) throws KeyException {
        Provider base = Security.getProvider("SunPKCS11");
        if (base == null) {
            throw new KeyException("the JDK's SunPKCS11 provider is not available (module jdk.crypto.cryptoki is missing from this Java runtime)");
        }
        try {
            return (AuthProvider) base.configure(config.sunPkcs11Text());
        } catch (ProviderException | IllegalArgumentException e) {
            // e.g. "slotListIndex is 3 but token only has 2 slots", CKR_SLOT_ID_INVALID, or a library that will not load
            throw new KeyException("could not open the PKCS#11 token (" + config + "): " + rootMessage(e), e);
        }
    }

    private static void login(AuthProvider provider, Pkcs11Config config, char[] pin) throws KeyException {
        char[] copy = pin.clone();
        try {
            KeyStore.getInstance("PKCS11", provider).load(null, copy);
        } catch (IOException e) {
            String code = pkcs11Code(e);
            if (code != null && code.startsWith("CKR_PIN")) {
                throw new KeyException("the PKCS#11 token rejected the PIN (" + code + ") for " + config.slotDescription()
                        + (code.equals("CKR_PIN_LOCKED") ? ": the PIN is locked, the security officer must reset it" : ""), e);
            }
            throw new KeyException("login to the PKCS#11 token failed (" + config + "): " + rootMessage(e), e);
        } catch (GeneralSecurityException e) {
            throw new KeyException("could not open the PKCS#11 key store (" + config + "): " + rootMessage(e), e);
        } finally {
            Secrets.clear(copy);
        }
    }

    private static void logout(AuthProvider provider) {
        try {
            provider.logout();
        } catch (LoginException | ProviderException e) {
            // not logged in, or the token is gone: nothing left to release
        }
    }

    private static byte[] digest(byte[] salt, char[] pin) throws KeyException {
        byte[] bytes = Secrets.utf8(pin);
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(salt);
            return sha256.digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        } finally {
            Secrets.clear(bytes);
        }
    }

    /** The PKCS#11 return code (CKR_…) somewhere in the cause chain, or null. */
    static String pkcs11Code(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            String message = t.getMessage();
            int at = message == null ? -1 : message.indexOf("CKR_");
            if (at >= 0) {
                int end = at;
                while (end < message.length() && (Character.isLetterOrDigit(message.charAt(end)) || message.charAt(end) == '_')) {
                    end++;
                }
                return message.substring(at, end);
            }
        }
        return null;
    }

    static String rootMessage(Throwable thrown) {
        Throwable root = thrown;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
