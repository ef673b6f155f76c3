using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Iqts.Api.ReferenceData;

/// <summary>One code in a list: what the client sends, what a person reads, and any attributes of the code.</summary>
/// <param name="Code">The value to send.</param>
/// <param name="Name">What it means.</param>
/// <param name="Attributes">Further facts about the code, e.g. an age range's phase or a withdrawal reason's trigger.</param>
public sealed record ReferenceEntry(string Code, string Name, IReadOnlyDictionary<string, JsonElement>? Attributes = null);

/// <summary>A named list of codes the API validates against.</summary>
/// <param name="Set">The set's name, as in the URL.</param>
/// <param name="Description">What the set is for and where it comes from.</param>
/// <param name="Entries">The codes.</param>
public sealed record ReferenceSet(string Set, string Description, IReadOnlyList<ReferenceEntry> Entries)
{
    [JsonIgnore]
    public FrozenSet<string> Codes { get; } = Entries.Select(e => e.Code).ToFrozenSet(StringComparer.Ordinal);

    public bool Contains(string? code) => code is not null && Codes.Contains(code);

    /// <summary>A set made of an enumeration's snake_case names, each with a readable name.</summary>
    public static ReferenceSet FromEnum<T>(string set, string description)
        where T : struct, Enum =>
        new(set, description, EnumText.AllNames<T>().Select(name => new ReferenceEntry(name, char.ToUpperInvariant(name[0]) + name[1..].Replace('_', ' '))).ToList());
}

/// <summary>The iQTS age phases of C2.3.</summary>
public enum AgePhase
{
    Primary,
    Middle,
    Secondary,
}

/// <summary>
/// The code lists: HESA lists copied from DfE's Register trainee teachers (see data/README.md) and the
/// API's own enumerations, so an integrator can validate before sending with <c>GET /reference-data/{set}</c>.
/// </summary>
public sealed class ReferenceDataSets
{
    public const string UkCountryAttribute = "isUk";

    private readonly FrozenDictionary<string, ReferenceSet> _sets;

    /// <summary>The embedded sets only: what the rules validate against (the tests of rules build this).</summary>
    public ReferenceDataSets()
        : this([])
    {
    }

    /// <summary>The embedded sets and <paramref name="codeLists"/>, the features' own enumerations (see <c>Composition/CodeLists.cs</c>).</summary>
    public ReferenceDataSets(IEnumerable<ReferenceSet> codeLists)
    {
        List<ReferenceSet> sets =
        [
            Embedded("countries", "Countries (HESA codes, ISO 3166-1 alpha-2 plus a few HESA codes such as XK); isUk marks the United Kingdom and its nations, which cannot be a training country.", "isUk"),
            Embedded("nationalities", "Nationalities (HESA codes)."),
            Embedded("languages", "Languages (ISO 639-1)."),
            Embedded("subjects", "ITT course subjects (HECoS codes); primary teaching is 100511."),
            Embedded("age-ranges", "Course age ranges. phase is the iQTS phase of C2.3 (primary 3-11, middle 7-14, secondary 11-19); other ranges record their nearest phase in ageRangePhase.", "from", "to", "phase", "hesaCode"),
            ReferenceSet.FromEnum<AgePhase>("age-phases", "The iQTS age phases of C2.3."),
            Embedded("degree-types", "Degree types (HESA codes; the foundation types, which have none, by their Register name). bachelorsOrHigher marks a bachelor's degree or above, which C1.2 asks for.", "bachelorsOrHigher"),
            Embedded("degree-subjects", "Degree subjects (HECoS codes), as DfE's Register records them."),
            Embedded("degree-grades", "Degree grades (HESA codes)."),
            Embedded("degree-countries", "Countries a degree was awarded in (HESA DEGCTRY codes); isUk marks the UK nations, which a non-UK degree cannot be from.", "isUk"),
            .. codeLists,
        ];
        _sets = sets.ToFrozenDictionary(s => s.Set, StringComparer.Ordinal);
    }

    public IEnumerable<ReferenceSet> All => _sets.Values.OrderBy(s => s.Set, StringComparer.Ordinal);

    public ReferenceSet this[string set] => _sets[set];

    public bool TryGet(string set, out ReferenceSet? value) => _sets.TryGetValue(set, out value);

    public ReferenceSet Countries => _sets["countries"];

    public ReferenceSet Nationalities => _sets["nationalities"];

    public ReferenceSet Languages => _sets["languages"];

    public ReferenceSet Subjects => _sets["subjects"];

    public ReferenceSet AgeRanges => _sets["age-ranges"];

    public ReferenceSet DegreeTypes => _sets["degree-types"];

    public ReferenceSet DegreeSubjects => _sets["degree-subjects"];

    public ReferenceSet DegreeGrades => _sets["degree-grades"];

    public ReferenceSet DegreeCountries => _sets["degree-countries"];

    /// <summary>C1.2: whether a degree type is a bachelor's degree or above.</summary>
    public bool IsBachelorsOrHigher(string degreeType) =>
        DegreeTypes.Entries.FirstOrDefault(e => e.Code == degreeType)?.Attributes?["bachelorsOrHigher"].GetBoolean() == true;

    public bool IsUkDegreeCountry(string code) =>
        DegreeCountries.Entries.FirstOrDefault(e => e.Code == code)?.Attributes?[UkCountryAttribute].GetBoolean() == true;

    public bool IsUkCountry(string code) =>
        Countries.Entries.FirstOrDefault(e => e.Code == code)?.Attributes?[UkCountryAttribute].GetBoolean() == true;

    /// <summary>The C2.3 phase of a standard range (3-11, 7-14, 11-19), or null for any other range.</summary>
    public AgePhase? PhaseOf(string ageRange) =>
        AgeRanges.Entries.FirstOrDefault(e => e.Code == ageRange)?.Attributes?["phase"] is { ValueKind: JsonValueKind.String } phase
            ? EnumText.Parse<AgePhase>(phase.GetString()!)
            : null;

    private static ReferenceSet Embedded(string set, string description, params string[] attributes)
    {
        using var stream = typeof(ReferenceDataSets).Assembly.GetManifestResourceStream($"reference-data/{set}.json")
            ?? throw new InvalidOperationException($"Reference data '{set}' is not embedded.");
        using var document = JsonDocument.Parse(stream);
        var entries = document.RootElement.EnumerateArray().Select(e => new ReferenceEntry(
            e.GetProperty("code").GetString()!,
            e.GetProperty("name").GetString()!,
            attributes.Length == 0 ? null : attributes.ToDictionary(a => a, a => e.GetProperty(a).Clone()))).ToList();
        return new ReferenceSet(set, description, entries);
    }
}
