using System.Text;

namespace Gantry.Testing.Fuzzing;

/// <summary>
/// Mutates a valid YAML manifest line by line, and adds the shapes that hurt YAML readers:
/// recursive aliases, exploding aliases, deep nesting, anchors in odd places.
/// </summary>
public sealed class YamlMutator(Random random)
{
    public byte[] Mutate(string seed)
    {
        var lines = seed.Split('\n').ToList();
        var text = random.Next(8) switch
        {
            0 => seed + "\nextra: &a [*a, *a]\n",
            1 => "kind: SparkApplication\nspec: &a [*a, *a]\n",
            2 => Laughs(),
            3 => seed.Replace("spec:", "spec: &s\n  self: *s\n", StringComparison.Ordinal),
            4 => seed + "\nnested: " + FuzzValues.Deep(random) + "\n",
            5 => seed + "\n---\n" + seed,
            _ => MutateLines(lines),
        };
        var bytes = Encoding.UTF8.GetBytes(text);
        return random.Next(8) == 0 ? Bytes.Mangle(random, bytes) : bytes;
    }

    private string Laughs()
    {
        var levels = 3 + random.Next(8);
        var yaml = new StringBuilder("kind: Command\nl0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < levels; i++)
        {
            yaml.Append($"l{i}: &l{i} [").Append(string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))).Append("]\n");
        }
        return yaml.ToString();
    }

    private string MutateLines(List<string> lines)
    {
        for (var n = 0; n < 1 + random.Next(3) && lines.Count > 0; n++)
        {
            var i = random.Next(lines.Count);
            switch (random.Next(7))
            {
                case 0:
                    lines.RemoveAt(i);
                    break;
                case 1:
                    lines.Insert(i, lines[i]);
                    break;
                case 2:
                    lines[i] = "\t" + lines[i];
                    break;
                case 3:
                    lines[i] = lines[i].Replace(": ", ": &x ", StringComparison.Ordinal) + "\nalias: *x";
                    break;
                case 4:
                    var colon = lines[i].IndexOf(": ", StringComparison.Ordinal);
                    if (colon > 0)
                    {
                        lines[i] = lines[i][..(colon + 2)] + Scalar();
                    }
                    break;
                case 5:
                    lines[i] = lines[i] + " \"\\ud800\"";
                    break;
                default:
                    lines.Insert(i, new string(' ', random.Next(40)) + "? [a, b]\n: c");
                    break;
            }
        }
        return string.Join('\n', lines);
    }

    private string Scalar() => random.Next(6) switch
    {
        0 => "\"\\ud800\"",
        1 => "*undefined",
        2 => "!!binary AAAA",
        3 => "[" + new string('[', 100) + new string(']', 100) + "]",
        4 => "1e999",
        _ => FuzzValues.RawJson[random.Next(FuzzValues.RawJson.Length)],
    };
}
