namespace Gantry.Testing.Fuzzing;

/// <summary>Byte-level damage to a body: what a broken client or a hostile one sends.</summary>
public static class Bytes
{
    public static byte[] Mangle(Random random, byte[] body)
    {
        switch (random.Next(5))
        {
            case 0:
                return body.Length == 0 ? body : body[..random.Next(body.Length)];
            case 1:
                var flipped = (byte[])body.Clone();
                for (var i = 0; i < 1 + random.Next(4) && flipped.Length > 0; i++)
                {
                    flipped[random.Next(flipped.Length)] = (byte)random.Next(256);
                }
                return flipped;
            case 2:
                var garbage = new byte[random.Next(1, 512)];
                random.NextBytes(garbage);
                return garbage;
            case 3:
                return [];
            default:
                var insert = new byte[random.Next(1, 16)];
                random.NextBytes(insert);
                var at = random.Next(body.Length + 1);
                return [.. body[..at], .. insert, .. body[at..]];
        }
    }
}
