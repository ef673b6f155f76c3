using System.Globalization;
using System.Text;

namespace Iqts.Api.Errors;

/// <summary>Text as a person reads it, for the rules that ask whether a value is there and whether two names are the same.</summary>
public static class VisibleText
{
    /// <summary>
    /// Whether nothing would show: null, or only whitespace, format characters (zero-width space and joiners, the
    /// byte-order mark, soft hyphen, bidirectional marks) and the fillers that render as blanks (Hangul, Braille).
    /// </summary>
    public static bool IsBlank(string? value) =>
        value is null || value.All(c => char.IsWhiteSpace(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format
            || c is '\u115F' or '\u1160' or '\u3164' or '\uFFA0' or '\u2800');

    /// <summary>A name as two spellings of it are compared: composed (NFC), trimmed and case folded.</summary>
    public static string Comparable(string value) => value.Normalize(NormalizationForm.FormC).Trim().ToUpperInvariant();
}
