# Finn's cycling index of a bench/gen flow network by enaR 3.0.0
# (enaFlow), the peer of `roundtrip ena` in issue 15. Prints TST, TSTc and
# FCI as CSV.
#
#   Rscript bench/peers/finn_enar.R DIR/finn1000.csv DIR/finn1000-nodes.csv > finn.csv
#
# flows[i][j] is the flow from i to j, enaR's row-to-column orientation;
# the generator writes a steady state (inputs + inflows = outputs +
# outflows at every node), which enaFlow checks.
suppressMessages(library(enaR))
args <- commandArgs(trailingOnly = TRUE)
edges <- read.csv(args[1])
nodes <- read.csv(args[2])
nodes <- nodes[order(nodes$node), ]
n <- nrow(nodes)
F <- matrix(0, n, n)
F[cbind(edges$i + 1, edges$j + 1)] <- edges$value
x <- pack(flow = F, input = nodes$inputs, output = nodes$outputs)
ns <- enaFlow(x)$ns
write.csv(data.frame(TST = ns[, "TST"], FCI = ns[, "FCI"], TSTc = ns[, "TST"] * ns[, "FCI"]), stdout(), row.names = FALSE)
