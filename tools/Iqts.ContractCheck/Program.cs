using System.Text.Json.Nodes;

namespace Iqts.ContractCheck;

/// <summary>Usage: dotnet run --project tools/Iqts.ContractCheck -- &lt;released.json&gt; &lt;current.json&gt;</summary>
internal static class ContractCheckProgram
{
    public static int Main(string[] args)
    {
        if (args.Length != 2)
        {
            Console.Error.WriteLine("Usage: Iqts.ContractCheck <released contract> <current contract>");
            return 2;
        }

        var released = JsonNode.Parse(File.ReadAllText(args[0]))!;
        var current = JsonNode.Parse(File.ReadAllText(args[1]))!;
        var breaks = ContractDiff.Breaks(released, current);
        if (breaks.Count == 0)
        {
            Console.WriteLine($"No breaking changes against {args[0]}.");
            return 0;
        }

        Console.Error.WriteLine($"{breaks.Count} breaking change(s) against the released contract {args[0]}:");
        foreach (var line in breaks)
        {
            Console.Error.WriteLine("  - " + line);
        }

        Console.Error.WriteLine("Keep the contract compatible, or release a new major version (see README, Compatibility policy).");
        return 1;
    }
}
