using System.Globalization;

namespace Iqts.Api.Criteria;

/// <summary>The three terms of a school year (ADR 0011): autumn 1 September–31 December, spring 1 January–31 March, summer 1 April–31 July.</summary>
public enum TermName
{
    Spring,
    Summer,
    Autumn,
}

/// <summary>
/// A term of a given calendar year, written <c>2027-autumn</c>. Terms are numbered in the order they run (spring, summer,
/// autumn of one year, then spring of the next), so "two terms ahead" and "three years later" are sums. August, between
/// summer and autumn, counts with the summer just ended: booked in August, autumn is the next term.
/// </summary>
public readonly record struct Term(int Year, TermName Name) : IComparable<Term>
{
    public const string Pattern = "YYYY-autumn|spring|summer";

    public int Index => (Year * 3) + (int)Name;

    public DateOnly Start => Name switch
    {
        TermName.Spring => new DateOnly(Year, 1, 1),
        TermName.Summer => new DateOnly(Year, 4, 1),
        _ => new DateOnly(Year, 9, 1),
    };

    public DateOnly End => Name switch
    {
        TermName.Spring => new DateOnly(Year, 3, 31),
        TermName.Summer => new DateOnly(Year, 7, 31),
        _ => new DateOnly(Year, 12, 31),
    };

    public static Term FromIndex(int index) => new(index / 3, (TermName)(index % 3));

    public Term Plus(int terms) => FromIndex(Index + terms);

    public bool Contains(DateOnly date) => date >= Start && date <= End;

    /// <summary>The term a date falls in (August: the summer just ended).</summary>
    public static Term Of(DateOnly date) => date.Month switch
    {
        <= 3 => new Term(date.Year, TermName.Spring),
        <= 8 => new Term(date.Year, TermName.Summer),
        _ => new Term(date.Year, TermName.Autumn),
    };

    public static bool TryParse(string? text, out Term term)
    {
        term = default;
        var parts = text?.Split('-') ?? [];
        if (parts.Length != 2 || parts[0].Length != 4 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year < 2000 || year > 2200)
        {
            return false;
        }

        TermName? name = parts[1] switch { "autumn" => TermName.Autumn, "spring" => TermName.Spring, "summer" => TermName.Summer, _ => null };
        term = name is null ? default : new Term(year, name.Value);
        return name is not null;
    }

    public int CompareTo(Term other) => Index.CompareTo(other.Index);

    public static bool operator <(Term a, Term b) => a.Index < b.Index;

    public static bool operator >(Term a, Term b) => a.Index > b.Index;

    public static bool operator <=(Term a, Term b) => a.Index <= b.Index;

    public static bool operator >=(Term a, Term b) => a.Index >= b.Index;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year}-{Name.ToString().ToLowerInvariant()}");
}
