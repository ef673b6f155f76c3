namespace Iqts.Api.Http;

/// <summary>
/// The only places error mapping reads the wording of a framework exception: ASP.NET Core and System.Text.Json
/// give these failures no type or code of their own. Each string has a test that makes the framework produce it,
/// so a framework upgrade that rewords one fails that test instead of turning a 400 into a vague one.
/// </summary>
public static class FrameworkMessages
{
    /// <summary>System.Text.Json with <c>UnmappedMemberHandling.Disallow</c>: "The JSON property 'x' could not be mapped to any .NET member …".</summary>
    public const string UnmappedMemberStart = "The JSON property '";

    public const string UnmappedMemberMiddle = "' could not be mapped";

    /// <summary>Minimal APIs, a body parameter with an empty body: "Implicit body inferred for parameter … but no body was provided."</summary>
    public const string NoBodyProvided = "no body was provided";

    /// <summary>Minimal APIs, a route or query value of the wrong form: <c>Failed to bind parameter "int? limit" from "abc".</c></summary>
    public const string FailedToBindStart = "Failed to bind parameter \"";

    /// <summary>The unknown property's name, when the exception is STJ's unmapped-member one; otherwise null.</summary>
    public static string? UnmappedMember(string message)
    {
        if (!message.StartsWith(UnmappedMemberStart, StringComparison.Ordinal))
        {
            return null;
        }

        var end = message.IndexOf(UnmappedMemberMiddle, UnmappedMemberStart.Length, StringComparison.Ordinal);
        return end < 0 ? null : message[UnmappedMemberStart.Length..end];
    }

    public static bool IsNoBody(string message) => message.Contains(NoBodyProvided, StringComparison.OrdinalIgnoreCase);

    /// <summary>The parameter's name (the last word before the closing quote), when the message is a binding failure.</summary>
    public static string? FailedToBind(string message)
    {
        if (!message.StartsWith(FailedToBindStart, StringComparison.Ordinal))
        {
            return null;
        }

        var close = message.IndexOf('"', FailedToBindStart.Length);
        if (close < 0)
        {
            return null;
        }

        var declaration = message[FailedToBindStart.Length..close];
        return declaration[(declaration.LastIndexOf(' ') + 1)..];
    }

    /// <summary>
    /// The parameter's type, not nullable (<c>Timestamp</c> in <c>"Nullable&lt;Timestamp&gt; updatedSince"</c> or
    /// <c>"Timestamp? updatedSince"</c>), when the message is a binding failure.
    /// </summary>
    public static string? FailedToBindType(string message)
    {
        var close = message.StartsWith(FailedToBindStart, StringComparison.Ordinal) ? message.IndexOf('"', FailedToBindStart.Length) : -1;
        var declaration = close < 0 ? "" : message[FailedToBindStart.Length..close];
        var space = declaration.LastIndexOf(' ');
        return space < 0 ? null : declaration[..space].Replace("Nullable<", "", StringComparison.Ordinal).TrimEnd('>', '?');
    }
}
