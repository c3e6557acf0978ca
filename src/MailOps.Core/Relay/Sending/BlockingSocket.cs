using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace MailOps.Core.Relay;

/// <summary>
/// Opens the TCP connection to a relay as a socket that stays in blocking mode. On Unix, .NET
/// turns a socket that has seen one async operation (MailKit connects asynchronously) into a
/// non-blocking one for good, and every later "synchronous" read becomes an epoll event handed
/// through the thread pool: per SMTP reply a pool thread wakes and spins, which on a small
/// machine costs as much CPU as the SMTP exchange. A blocking socket reads with one recv().
/// </summary>
internal static class BlockingSocket
{
    /// <summary>
    /// Connects to the first address of <paramref name="host"/> that answers, each within
    /// <paramref name="timeout"/>: the connect itself is non-blocking and polled (so it can time
    /// out and be cancelled), then the socket is switched to blocking.
    /// </summary>
    /// <exception cref="SocketException">No address accepted the connection.</exception>
    /// <exception cref="TimeoutException">The last address did not answer in time.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Socket Connect(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        IReadOnlyList<IPAddress> addresses = Resolve(host, timeout, cancellationToken);
        Exception? last = null;
        foreach (IPAddress address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                ConnectOne(socket, new IPEndPoint(address, port), timeout, cancellationToken);
                return socket;
            }
            catch (Exception ex) when (ex is SocketException || ex is TimeoutException)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    private static IReadOnlyList<IPAddress> Resolve(string host, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out IPAddress? literal))
        {
            return new[] { literal };
        }

        // Once per connection, so the pool thread this takes does not matter.
        var lookup = System.Net.Dns.GetHostAddressesAsync(host);
        try
        {
            if (!lookup.Wait((int)Math.Min(int.MaxValue, timeout.TotalMilliseconds), cancellationToken))
            {
                throw new TimeoutException($"{host} could not be resolved within {timeout.TotalSeconds:0} s.");
            }
        }
        catch (AggregateException ex) when (ex.InnerException is SocketException socket)
        {
            throw socket;
        }

        return lookup.Result;
    }

    private static void ConnectOne(Socket socket, IPEndPoint endPoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        socket.Blocking = false;
        try
        {
            socket.Connect(endPoint);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.WouldBlock || ex.SocketErrorCode == SocketError.InProgress)
        {
            // In progress: poll below.
        }

        var clock = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TimeSpan left = timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"{endPoint} did not accept the connection within {timeout.TotalSeconds:0} s.");
            }

            // A quarter of a second at a time, so Ctrl+C is noticed (as MailKit polls).
            int slice = (int)Math.Min(250_000, left.Ticks / 10);
            if (socket.Poll(Math.Max(slice, 1), SelectMode.SelectWrite) || socket.Poll(0, SelectMode.SelectError))
            {
                break;
            }
        }

        int error = (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
        if (error != 0)
        {
            throw new SocketException(error);
        }

        socket.Blocking = true;
        if (!socket.Connected)
        {
            throw new SocketException((int)SocketError.NotConnected);
        }
    }
}
