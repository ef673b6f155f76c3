using NetArchTest.Rules;

namespace Iqts.Api.Tests.HouseStyle;

/// <summary>
/// The dependencies allowed between the folders of src/Iqts.Api (ADR 0008), pinned: a feature may use the foundation
/// and the features listed for it; the foundation uses no feature; nothing uses the composition root; and the allowed
/// graph has no cycle. A new folder must be placed here before it builds into the suite.
/// </summary>
public sealed class ArchitectureTests
{
    /// <summary>What every feature may use, and what each part of it may use of the rest.</summary>
    private static readonly Dictionary<string, string[]> Foundation = new()
    {
        ["Errors"] = [],
        ["Criteria"] = [],
        ["Telemetry"] = [],
        ["Data"] = ["Errors", "Telemetry"],
        ["Audit"] = ["Data", "Errors"],
        ["Tokens"] = ["Data", "Errors", "Telemetry"],
        ["Http"] = ["Audit", "Data", "Errors", "Tokens", "Telemetry"],
        ["ReferenceData"] = ["Data", "Errors", "Http"],
        ["Events"] = ["Data", "Errors", "Http"],
    };

    /// <summary>The features and the features each may use. Trainees names none of the features that react to its changes.</summary>
    private static readonly Dictionary<string, string[]> Features = new()
    {
        ["Providers"] = [],
        ["Trainees"] = ["Providers"],
        ["Eligibility"] = ["Trainees"],
        ["Placements"] = ["Trainees"],
        ["Assessments"] = ["Trainees"],
        ["Awards"] = ["Providers", "Trainees", "Eligibility", "Placements", "Assessments", "Quality"],
        ["Tra"] = ["Trainees", "Awards"],
        ["Reports"] = ["Trainees", "Placements"],
        ["Health"] = [],
        ["Webhooks"] = ["Trainees", "Awards"],
        ["Bulk"] = ["Trainees", "Eligibility", "Placements", "Awards"],
        ["Sandbox"] = ["Trainees", "Placements", "Assessments", "Bulk", "Quality"],
        ["Governance"] = ["Providers", "Placements"],
        ["Quality"] = ["Trainees", "Placements", "Assessments"],
        ["Compliance"] = ["Providers", "Trainees", "Eligibility", "Placements", "Assessments", "Awards", "Reports", "Governance", "Quality"],
    };

    /// <summary>Where the app is put together; they may use anything, and nothing uses them.</summary>
    private static readonly string[] CompositionRoot = ["Composition", "Cli", "Benchmark"];

    private static readonly Dictionary<string, string[]> TypesByFolder = typeof(Program).Assembly.GetTypes()
        .Where(t => t.Namespace?.StartsWith("Iqts.Api.", StringComparison.Ordinal) == true)
        .GroupBy(t => t.Namespace!.Split('.')[2])
        .ToDictionary(g => g.Key, g => g.Select(t => t.FullName!).ToArray());

    [Fact]
    public void Every_folder_is_placed()
    {
        var placed = Foundation.Keys.Concat(Features.Keys).Concat(CompositionRoot).ToHashSet();
        Assert.All(TypesByFolder.Keys, folder => Assert.Contains(folder, placed));
    }

    [Fact]
    public void Features_use_only_the_foundation_and_the_features_allowed_them()
    {
        var offences = Features.SelectMany(f => Uses(f.Key).Where(used => !Foundation.ContainsKey(used) && !f.Value.Contains(used)).Select(used => $"{f.Key} uses {used}"));
        Assert.Empty(offences);
    }

    [Fact]
    public void The_foundation_uses_no_feature_and_only_the_foundation_allowed_it()
    {
        var offences = Foundation.SelectMany(f => Uses(f.Key).Where(used => !f.Value.Contains(used)).Select(used => $"{f.Key} uses {used}"));
        Assert.Empty(offences);
    }

    [Fact]
    public void Nothing_but_the_composition_root_uses_the_composition_root()
    {
        var offences = Foundation.Keys.Concat(Features.Keys).SelectMany(f => Uses(f).Intersect(CompositionRoot).Select(used => $"{f} uses {used}"));
        Assert.Empty(offences);
    }

    [Fact]
    public void The_allowed_dependencies_have_no_cycle()
    {
        var allowed = Foundation.Concat(Features).ToDictionary(kv => kv.Key, kv => kv.Value);
        var done = new HashSet<string>();
        foreach (var folder in allowed.Keys)
        {
            Visit(folder, []);
        }

        void Visit(string folder, List<string> path)
        {
            Assert.False(path.Contains(folder), "A cycle: " + string.Join(" → ", path.Append(folder)));
            if (done.Add(folder))
            {
                foreach (var next in allowed[folder])
                {
                    Visit(next, [.. path, folder]);
                }
            }
        }
    }

    [Fact]
    public void Repositories_are_static_and_use_no_rule_and_no_endpoint()
    {
        var repositories = Types.InAssembly(typeof(Program).Assembly).That().HaveNameEndingWith("Repository");
        Assert.True(repositories.Should().BeStatic().GetResult().IsSuccessful, "A repository holds no state: it reads and writes rows on the unit of work it is given.");
        var rules = TypesByFolder.Values.SelectMany(t => t).Where(n => n.EndsWith("Rules", StringComparison.Ordinal) || n.EndsWith("Endpoints", StringComparison.Ordinal)).ToArray();
        var result = Types.InAssembly(typeof(Program).Assembly).That().HaveNameEndingWith("Repository").ShouldNot().HaveDependencyOnAny(rules).GetResult();
        Assert.True(result.IsSuccessful, "Repositories that call a rule or an endpoint: " + string.Join(", ", result.FailingTypeNames ?? []));
    }

    /// <summary>The folders whose types <paramref name="folder"/>'s types use.</summary>
    private static IEnumerable<string> Uses(string folder) =>
        TypesByFolder.Keys.Where(other => other != folder && !Types.InAssembly(typeof(Program).Assembly)
            .That().ResideInNamespaceMatching($@"^Iqts\.Api\.{folder}(\..*)?$")
            .ShouldNot().HaveDependencyOnAny(TypesByFolder[other]).GetResult().IsSuccessful);
}
