using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Iqts.Api.Http;

/// <summary>
/// HTTP message signatures (RFC 9421) with <c>ecdsa-p384-sha384</c>, and the body's <c>Content-Digest</c> (RFC 9530):
/// what TRS signs its webhooks with (../shared/anchors/tra-trs-v3.md §6), and so what we sign ours with. NSign, which
/// TRS uses, is not to be had here; the part we need is short. The webhook receivers' helpers in both SDKs are separate
/// implementations, and the tests check each against the other.
/// </summary>
public static class MessageSignatures
{
    public const string Algorithm = "ecdsa-p384-sha384";

    /// <summary>The covered components and the parameters of one signature: what <c>Signature-Input</c> says of it.</summary>
    /// <param name="Raw">As a received <c>Signature-Input</c> wrote them: the base's last line is exactly that text, whatever the order of the parameters.</param>
    public sealed record Parameters(IReadOnlyList<string> Components, long Created, long Expires, string KeyId, string? Nonce = null, string? Tag = null, string? Alg = Algorithm,
        string? Raw = null)
    {
        /// <summary>The inner list with its parameters, as it stands in <c>Signature-Input</c> and in the base's last line.</summary>
        public string Serialize()
        {
            if (Raw is not null)
            {
                return Raw;
            }

            var text = new StringBuilder("(").AppendJoin(' ', Components.Select(c => $"\"{c}\"")).Append(')');
            text.Append(CultureInfo.InvariantCulture, $";created={Created};expires={Expires};keyid=\"{KeyId}\"");
            text.Append(Nonce is null ? "" : $";nonce=\"{Nonce}\"").Append(Alg is null ? "" : $";alg=\"{Alg}\"").Append(Tag is null ? "" : $";tag=\"{Tag}\"");
            return text.ToString();
        }
    }

    /// <summary><c>Content-Digest</c> of a body: <c>sha-256=:…:</c>.</summary>
    public static string ContentDigest(ReadOnlySpan<byte> body) => $"sha-256=:{Convert.ToBase64String(SHA256.HashData(body))}:";

    /// <summary>Whether a <c>Content-Digest</c> header (a <c>sha-256</c> or <c>sha-512</c> member) matches the body.</summary>
    public static bool DigestMatches(string? header, ReadOnlySpan<byte> body)
    {
        foreach (var member in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = (member.Split('=', 2)[0].ToLowerInvariant(), member.Split('=', 2) is [_, var v] ? v.Trim(':') : "");
            var expected = name switch
            {
                "sha-256" => Convert.ToBase64String(SHA256.HashData(body)),
                "sha-512" => Convert.ToBase64String(SHA512.HashData(body)),
                _ => null,
            };
            if (expected is not null)
            {
                return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(value));
            }
        }

        return false;
    }

    /// <summary>
    /// The signature base (RFC 9421 §2.5): one line per covered component, <c>"name": value</c>, then the signature's
    /// parameters. <paramref name="component"/> gives a component's value: <c>@method</c>, <c>@target-uri</c> or a field
    /// (lower-case name); null when the message has none, which makes the base impossible.
    /// </summary>
    public static string? Base(Parameters parameters, Func<string, string?> component)
    {
        var text = new StringBuilder();
        foreach (var name in parameters.Components)
        {
            if (component(name) is not { } value)
            {
                return null;
            }

            text.Append('"').Append(name).Append("\": ").Append(value.Trim()).Append('\n');
        }

        return text.Append("\"@signature-params\": ").Append(parameters.Serialize()).ToString();
    }

    /// <summary>Signs: the <c>Signature-Input</c> and <c>Signature</c> header values under <paramref name="label"/>.</summary>
    public static (string Input, string Signature) Sign(ECDsa key, string label, Parameters parameters, Func<string, string?> component)
    {
        var signatureBase = Base(parameters, component) ?? throw new InvalidOperationException("A covered component is missing from the message.");
        var signature = key.SignData(Encoding.ASCII.GetBytes(signatureBase), HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return ($"{label}={parameters.Serialize()}", $"{label}=:{Convert.ToBase64String(signature)}:");
    }

    /// <summary>Whether <paramref name="signature"/> (the bytes of one <c>Signature</c> member) signs the base with <paramref name="key"/>.</summary>
    public static bool Verifies(ECDsa key, string signatureBase, byte[] signature) =>
        key.VerifyData(Encoding.ASCII.GetBytes(signatureBase), signature, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    /// <summary>
    /// The members of a <c>Signature-Input</c> header: label → parameters; null when it is not one (the subset of
    /// structured fields signatures use: an inner list of strings, then <c>;key=value</c> parameters).
    /// </summary>
    public static IReadOnlyDictionary<string, Parameters>? ParseInput(string? header)
    {
        var result = new Dictionary<string, Parameters>(StringComparer.Ordinal);
        foreach (var member in SplitMembers(header ?? ""))
        {
            var equals = member.IndexOf('=', StringComparison.Ordinal);
            var open = member.IndexOf('(', StringComparison.Ordinal);
            var close = member.IndexOf(')', StringComparison.Ordinal);
            if (equals <= 0 || open != equals + 1 || close < open)
            {
                return null;
            }

            var components = member[(open + 1)..close].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c => c.Trim('"')).ToList();
            var values = member[(close + 1)..].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1].Trim('"'), StringComparer.Ordinal);
            if (!long.TryParse(values.GetValueOrDefault("created"), CultureInfo.InvariantCulture, out var created)
                || !long.TryParse(values.GetValueOrDefault("expires"), CultureInfo.InvariantCulture, out var expires)
                || values.GetValueOrDefault("keyid") is not { } keyId)
            {
                return null;
            }

            result[member[..equals].Trim()] = new Parameters(components, created, expires, keyId, values.GetValueOrDefault("nonce"), values.GetValueOrDefault("tag"),
                values.GetValueOrDefault("alg"), member[(equals + 1)..].Trim());
        }

        return result.Count == 0 ? null : result;
    }

    /// <summary>The members of a <c>Signature</c> header: label → the signature's bytes; null when it is not one.</summary>
    public static IReadOnlyDictionary<string, byte[]>? ParseSignatures(string? header)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var member in SplitMembers(header ?? ""))
        {
            var equals = member.IndexOf('=', StringComparison.Ordinal);
            var value = equals > 0 ? member[(equals + 1)..].Trim() : "";
            if (value.Length < 2 || value[0] != ':' || value[^1] != ':')
            {
                return null;
            }

            try
            {
                result[member[..equals].Trim()] = Convert.FromBase64String(value[1..^1]);
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return result.Count == 0 ? null : result;
    }

    /// <summary>Dictionary members split at the commas outside parentheses and quotes.</summary>
    private static IEnumerable<string> SplitMembers(string header)
    {
        var (depth, quoted, start) = (0, false, 0);
        for (var i = 0; i < header.Length; i++)
        {
            switch (header[i])
            {
                case '"':
                    quoted = !quoted;
                    break;
                case '(' when !quoted:
                    depth++;
                    break;
                case ')' when !quoted:
                    depth--;
                    break;
                case ',' when !quoted && depth == 0:
                    yield return header[start..i].Trim();
                    start = i + 1;
                    break;
            }
        }

        if (header[start..].Trim() is { Length: > 0 } last)
        {
            yield return last;
        }
    }
}
