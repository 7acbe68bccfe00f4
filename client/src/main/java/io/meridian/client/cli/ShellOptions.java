package io.meridian.client.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The command line of {@code meridian shell} and {@code meridian exec}.
 *
 * @param exec      true for {@code exec} (run {@code commands}, stop at the first error), false
 *                  for {@code shell} (interactive on a terminal, else the commands on stdin)
 * @param endpoints the nodes' client addresses, {@code host:port}, at least one
 * @param commands  for {@code exec}: the command lines, each holding one or more commands
 *                  separated by {@code ;}
 */
record ShellOptions(boolean exec, List<String> endpoints, List<String> commands) {

    /** The environment variable naming the endpoints when {@code --endpoints} is not given. */
    static final String ENDPOINTS_VARIABLE = "MERIDIAN_ENDPOINTS";

    /** What {@code --help} and a usage error print. */
    static final String USAGE = """
            usage: meridian shell [--endpoints HOST:PORT,...]
                   meridian exec [--endpoints HOST:PORT,...] "COMMAND; COMMAND..." ...
              shell        an interactive shell on a terminal; otherwise runs the commands read from stdin
              exec         runs the commands given, printing their results, and stops at the first error
              --endpoints  client addresses of one or more nodes (default: $%s)
            exit status: 0 when every command succeeded, 1 when a command failed, 2 on a usage error.
            Type help in the shell, or run: meridian exec help""".formatted(ENDPOINTS_VARIABLE);

    /**
     * Parses the arguments.
     *
     * @param args        {@code shell} or {@code exec}, then the options (and for {@code exec} the commands)
     * @param environment the process environment, for {@link #ENDPOINTS_VARIABLE}
     * @return the options, or empty when help was asked for
     * @throws IllegalArgumentException with a one-line reason when the arguments do not fit
     */
    static Optional<ShellOptions> parse(String[] args, Map<String, String> environment) {
        if (args.length == 0 || !(args[0].equals("shell") || args[0].equals("exec"))) {
            throw new IllegalArgumentException("the first argument must be shell or exec");
        }
        boolean exec = args[0].equals("exec");
        String endpoints = environment.getOrDefault(ENDPOINTS_VARIABLE, "");
        List<String> commands = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                return Optional.empty();
            } else if (arg.equals("--endpoints")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--endpoints needs a value, e.g. --endpoints 127.0.0.1:7100");
                }
                endpoints = args[++i];
            } else if (arg.startsWith("--endpoints=")) {
                endpoints = arg.substring("--endpoints=".length());
            } else if (arg.equals("--")) {
                commands.addAll(Arrays.asList(args).subList(i + 1, args.length));
                break;
            } else if (arg.startsWith("--")) {
                throw new IllegalArgumentException("unknown option '" + arg + "'");
            } else {
                commands.add(arg);
            }
        }
        if (!exec && !commands.isEmpty()) {
            throw new IllegalArgumentException("shell takes no commands ('" + commands.get(0)
                    + "'): pipe them into it, or use exec");
        }
        if (exec && commands.isEmpty()) {
            throw new IllegalArgumentException("exec needs the commands to run, e.g. exec \"put a 1; get a\"");
        }
        return Optional.of(new ShellOptions(exec, endpointList(endpoints), List.copyOf(commands)));
    }

    /** Splits the endpoint list; the SDK's client builder checks each {@code host:port}. */
    private static List<String> endpointList(String text) {
        List<String> endpoints = Arrays.stream(text.split(",")).map(String::strip).filter(e -> !e.isEmpty()).toList();
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no endpoints: give --endpoints HOST:PORT,... or set " + ENDPOINTS_VARIABLE);
        }
        return endpoints;
    }
}
