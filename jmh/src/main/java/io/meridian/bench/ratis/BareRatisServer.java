package io.meridian.bench.ratis;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;

/**
 * One Ratis server process for the benchmarks in this package: a {@link RaftServer} on
 * 127.0.0.1 with gRPC transport hosting {@code --groups} groups (every group on every peer of
 * {@code --peers}), each with a {@link NoopStateMachine}, its log under {@code --dir}.
 *
 * <p>It is started by {@link BareRatisFloor} and {@link MultiRaftCost}, not by hand. The
 * process's standard output is a control channel to the driver (lines starting with {@code @@});
 * everything else the JVM or a library prints goes to standard error. Standard input takes
 * commands, one a line:
 * <ul>
 *   <li>{@code stats}: answers {@code @@STATS {json}} (JVM threads, heap, direct memory, groups,
 *       leaders, threads by name pattern);</li>
 *   <li>{@code groups N}: grows the server to N groups (same deterministic group ids as at start);</li>
 *   <li>{@code quit}, or the end of standard input (the driver died): closes and exits.</li>
 * </ul>
 */
public final class BareRatisServer {

    private static final Set<String> OPTIONS = Set.of("id", "peers", "groups", "dir", "prop");
    private static final Pattern GROUP_IN_NAME = Pattern.compile("group-[0-9A-Fa-f]{12}");
    private static final Pattern UUID_IN_NAME = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F-]{27}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private BareRatisServer() {
    }

    /** The id of the i-th benchmark group: the same on every server and in the driver. */
    static RaftGroupId groupId(int i) {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("meridian-bench-group-" + i).getBytes(StandardCharsets.UTF_8)));
    }

    /** Parses {@code n0=127.0.0.1:5000,n1=...}. */
    static List<RaftPeer> parsePeers(String spec) {
        List<RaftPeer> peers = new ArrayList<>();
        for (String p : spec.split(",")) {
            int eq = p.indexOf('=');
            peers.add(RaftPeer.newBuilder().setId(p.substring(0, eq)).setAddress(p.substring(eq + 1)).build());
        }
        return peers;
    }

    public static void main(String[] argv) throws Exception {
        // Keep the real standard output for the driver; anything else printing to System.out
        // (a logging backend, a library) goes to standard error.
        PrintStream control = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);

        Args args = Args.parse(argv, OPTIONS);
        RaftPeerId me = RaftPeerId.valueOf(args.string("id", null));
        List<RaftPeer> peers = parsePeers(args.string("peers", null));
        RaftPeer self = peers.stream().filter(p -> p.getId().equals(me)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(me + " is not in --peers"));
        int groups = args.integer("groups", 1);
        File dir = new File(args.string("dir", null));

        RaftProperties props = new RaftProperties();
        for (String kv : args.all("prop")) {
            int eq = kv.indexOf('=');
            props.set(kv.substring(0, eq), kv.substring(eq + 1));
        }
        RaftServerConfigKeys.setStorageDir(props, List.of(dir));
        String address = self.getAddress();
        GrpcConfigKeys.Server.setHost(props, address.substring(0, address.lastIndexOf(':')));
        GrpcConfigKeys.Server.setPort(props, Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));

        RaftServer server = RaftServer.newBuilder()
                .setServerId(me)
                .setProperties(props)
                .setStateMachineRegistry(gid -> new NoopStateMachine())
                .setOption(RaftStorage.StartupOption.FORMAT)
                .setGroup(RaftGroup.valueOf(groupId(0), peers))
                .build();
        server.start();
        Thread closer = new Thread(() -> closeQuietly(server), "bench-server-close");
        Runtime.getRuntime().addShutdownHook(closer);

        ClientId clientId = ClientId.randomId();
        long[] callId = {1};
        int hosted = 1;
        hosted = growTo(server, me, clientId, callId, peers, hosted, groups);
        control.println("@@READY pid=" + ProcessHandle.current().pid() + " groups=" + hosted);

        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                line = line.trim();
                if (line.equals("quit")) {
                    break;
                } else if (line.equals("stats")) {
                    control.println("@@STATS " + stats(server));
                } else if (line.startsWith("groups ")) {
                    try {
                        hosted = growTo(server, me, clientId, callId, peers, hosted, Integer.parseInt(line.substring(7).trim()));
                        control.println("@@GROUPS " + hosted);
                    } catch (IOException | RuntimeException e) {
                        control.println("@@ERROR " + e.toString().replace('\n', ' '));
                    }
                } else if (!line.isEmpty()) {
                    control.println("@@ERROR unknown command " + line);
                }
            }
        }
        // quit or end of input: close, but never hang here.
        Thread killer = new Thread(() -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException ignored) {
                // exit below anyway
            }
            Runtime.getRuntime().halt(3);
        }, "bench-server-halt");
        killer.setDaemon(true);
        killer.start();
        Runtime.getRuntime().removeShutdownHook(closer);
        closeQuietly(server);
        control.println("@@BYE");
        Runtime.getRuntime().halt(0);
    }

    private static int growTo(RaftServer server, RaftPeerId me, ClientId clientId, long[] callId,
                              List<RaftPeer> peers, int hosted, int target) throws IOException {
        for (int i = hosted; i < target; i++) {
            RaftClientReply reply = server.groupManagement(GroupManagementRequest.newAdd(
                    clientId, me, callId[0]++, RaftGroup.valueOf(groupId(i), peers)));
            if (!reply.isSuccess()) {
                throw new IOException("adding group " + i + " failed: " + reply);
            }
        }
        return Math.max(hosted, target);
    }

    private static void closeQuietly(RaftServer server) {
        try {
            server.close();
        } catch (IOException | RuntimeException e) {
            System.err.println("close failed: " + e);
        }
    }

    /** One JSON object; threads are grouped by name with group ids and numbers masked. */
    private static String stats(RaftServer server) {
        int divisions = 0;
        int leaders = 0;
        for (RaftGroupId gid : server.getGroupIds()) {
            divisions++;
            try {
                if (server.getDivision(gid).getInfo().isLeader()) {
                    leaders++;
                }
            } catch (IOException ignored) {
                // a division being closed: not a leader
            }
        }
        Map<String, Integer> byName = new TreeMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String n = GROUP_IN_NAME.matcher(t.getName()).replaceAll("group-*");
            n = UUID_IN_NAME.matcher(n).replaceAll("*");
            n = DIGITS.matcher(n).replaceAll("#");
            byName.merge(n, 1, Integer::sum);
        }
        List<Map.Entry<String, Integer>> top = new ArrayList<>(byName.entrySet());
        top.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()));
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long direct = 0;
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) {
                direct = b.getMemoryUsed();
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("{\"threads\":").append(ManagementFactory.getThreadMXBean().getThreadCount())
                .append(",\"heapUsedMiB\":").append(heap.getUsed() >> 20)
                .append(",\"heapCommittedMiB\":").append(heap.getCommitted() >> 20)
                .append(",\"directMiB\":").append(direct >> 20)
                .append(",\"groups\":").append(divisions)
                .append(",\"leaders\":").append(leaders)
                .append(",\"threadNames\":{");
        for (int i = 0; i < top.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('"').append(top.get(i).getKey().replace("\\", "\\\\").replace("\"", "\\\""))
                    .append("\":").append(top.get(i).getValue());
        }
        return sb.append("}}").toString();
    }
}
