package io.meridian.server.local;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for the node process, for the launcher's tests: takes the node's command line
 * ({@code node --id ... --listen ... --raft ... --data ...}), binds both ports (so a port clash
 * fails it, as it would fail a node), appends its arguments to {@code <data>/starts.txt}, prints
 * the node's serving line and waits to be stopped.
 *
 * <p>Test-only flags: {@code --fake-fail MESSAGE} prints the message and exits with 3;
 * {@code --fake-silent} never prints the serving line; {@code --fake-ignore-sigterm} blocks its
 * shutdown so only SIGKILL ends it.
 */
public final class FakeNodeMain {

    private FakeNodeMain() {
    }

    /**
     * Runs the fake node.
     *
     * @param args {@code node} and the node flags
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> flags = new HashMap<>();
        List<String> switches = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--fake-silent") || args[i].equals("--fake-ignore-sigterm")) {
                switches.add(args[i]);
            } else {
                flags.put(args[i], i + 1 < args.length ? args[++i] : "");
            }
        }
        if (!args[0].equals("node")) {
            System.err.println("fake node: expected 'node', got " + args[0]);
            System.exit(2);
        }
        if (flags.containsKey("--fake-fail")) {
            System.err.println("fake node: " + flags.get("--fake-fail"));
            System.exit(3);
        }
        System.out.println("fake node " + flags.get("--id") + " starting");
        Path data = Path.of(flags.get("--data"));
        Files.createDirectories(data);
        Files.writeString(data.resolve("starts.txt"), String.join(" ", args) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        try (ServerSocket client = bind(flags.get("--listen")); ServerSocket raft = bind(flags.get("--raft"))) {
            if (switches.contains("--fake-ignore-sigterm")) {
                Runtime.getRuntime().addShutdownHook(new Thread(FakeNodeMain::blockForever));
            }
            if (!switches.contains("--fake-silent")) {
                System.out.println("meridian node " + flags.get("--id") + " serving on " + flags.get("--listen")
                        + " (raft " + flags.get("--raft") + ")");
            }
            blockForever();
        }
    }

    private static ServerSocket bind(String hostPort) throws Exception {
        int colon = hostPort.lastIndexOf(':');
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(hostPort.substring(0, colon)),
                Integer.parseInt(hostPort.substring(colon + 1))));
        return socket;
    }

    private static void blockForever() {
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // Only a signal ends a fake node.
            }
        }
    }
}
