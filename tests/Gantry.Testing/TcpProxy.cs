using System.Net;
using System.Net.Sockets;

namespace Gantry.Testing;

/// <summary>
/// A loopback TCP proxy a test can cut like a network partition: <see cref="Pause"/> stops
/// forwarding in both directions on every connection and leaves new ones unanswered (packets
/// dropped, not refused: the client sees silence, as behind a failed switch), and
/// <see cref="Resume"/> lets everything held through again.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _upstream;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _connections = [];
    private readonly Task _accepting;
    private volatile TaskCompletionSource _open = Opened();

    public TcpProxy(string upstreamHost, int upstreamPort)
    {
        _upstream = new IPEndPoint(Dns.GetHostAddresses(upstreamHost).First(a => a.AddressFamily == AddressFamily.InterNetwork), upstreamPort);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public bool Paused => !_open.Task.IsCompleted;

    public void Pause()
    {
        if (!Paused)
        {
            _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Resume() => _open.TrySetResult();

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var upstream = new TcpClient();
        try
        {
            lock (_connections)
            {
                _connections.Add(client);
                _connections.Add(upstream);
            }
            // A connection made during a partition waits for it to end, like a SYN never answered.
            await _open.Task.WaitAsync(_stop.Token);
            await upstream.ConnectAsync(_upstream, _stop.Token);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var up = PumpAsync(client.GetStream(), upstream.GetStream(), linked.Token);
            var down = PumpAsync(upstream.GetStream(), client.GetStream(), linked.Token);
            await Task.WhenAny(up, down);
            await linked.CancelAsync();
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // The proxy stops, or an end hung up.
        }
        finally
        {
            client.Dispose();
        }
    }

    /// <summary>Copies one direction, each chunk held while the proxy is paused.</summary>
    private async Task PumpAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await _open.Task.WaitAsync(cancellationToken);
                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The other direction ended or the proxy stops.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _open.TrySetResult();
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }
        }
        await _accepting;
        _stop.Dispose();
    }
}
