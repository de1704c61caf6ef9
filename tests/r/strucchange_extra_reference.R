#!/usr/bin/env Rscript
# More reference values for ewp_stats.engines.breaks (issue 11), computed with R strucchange:
# Fstats with separate from/to, per-regime residuals, fitted values and covariance matrices of
# breakpoints(), breakfactor(), and the OLS-MOSUM fluctuation test.
#
# Run from the repository root:
#   Rscript tests/r/strucchange_extra_reference.R tests/engines/reference/strucchange_extra_reference.json \
#       ewp_stats/engines/breaks/strucchange_sc_me.csv
#
# The same series as tests/r/strucchange_reference.R (Nile, the deterministic segmented trend,
# log UK driver deaths).  The second argument writes strucchange's table sc.me (the OLS-MOSUM
# critical values) to the package data file.
suppressMessages(library(strucchange))

args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args)) args[1] else "tests/engines/reference/strucchange_extra_reference.json"

# ---- minimal JSON writer (as tests/r/strucchange_reference.R) -------------------------------
num <- function(x) ifelse(is.na(x), "null", ifelse(is.infinite(x), ifelse(x > 0, "1e308", "-1e308"), sprintf("%.17g", x)))
to_json <- function(x, indent = "") {
  ind2 <- paste0(indent, "  ")
  if (is.list(x)) {
    nms <- names(x)
    if (is.null(nms)) {
      items <- vapply(x, to_json, "", indent = ind2)
      return(paste0("[\n", ind2, paste(items, collapse = paste0(",\n", ind2)), "\n", indent, "]"))
    }
    items <- vapply(seq_along(x), function(i) paste0('"', nms[i], '": ', to_json(x[[i]], ind2)), "")
    return(paste0("{\n", ind2, paste(items, collapse = paste0(",\n", ind2)), "\n", indent, "}"))
  }
  if (is.matrix(x)) {
    rows <- lapply(seq_len(nrow(x)), function(i) as.vector(x[i, ]))
    return(to_json(lapply(rows, function(r) I(r)), indent))
  }
  if (is.character(x)) {
    s <- paste0('"', x, '"')
    return(if (length(x) == 1 && !inherits(x, "AsIs")) s else paste0("[", paste(s, collapse = ", "), "]"))
  }
  if (is.logical(x) && all(is.na(x)) && length(x) == 1) return("null")
  s <- num(as.numeric(x))
  if (length(x) == 1 && !inherits(x, "AsIs")) s else paste0("[", paste(s, collapse = ", "), "]")
}
vec <- function(x) I(as.numeric(x))

fs_block <- function(fs) {
  list(
    first = round((time(fs$Fstats)[1] - fs$datatsp[1]) * fs$datatsp[3]) + 1,
    last = round((time(fs$Fstats)[length(fs$Fstats)] - fs$datatsp[1]) * fs$datatsp[3]) + 1,
    stats = vec(fs$Fstats), lambda = fs$par,
    breakpoint = fs$breakpoint,
    supF = unname(sctest(fs, type = "supF")$statistic), supF_p = sctest(fs, type = "supF")$p.value,
    aveF = unname(sctest(fs, type = "aveF")$statistic), aveF_p = sctest(fs, type = "aveF")$p.value,
    expF = unname(sctest(fs, type = "expF")$statistic), expF_p = sctest(fs, type = "expF")$p.value
  )
}
regime_block <- function(bp, m) {
  v <- vcov(bp, breaks = m)
  v0 <- vcov(bp, breaks = m, het.reg = FALSE, het.err = FALSE)
  v1 <- vcov(bp, breaks = m, het.reg = TRUE, het.err = FALSE)
  v2 <- vcov(bp, breaks = m, het.reg = FALSE, het.err = TRUE)
  bf <- breakfactor(bp, breaks = m)
  list(
    breaks = m,
    residuals = vec(residuals(bp, breaks = m)), fitted = vec(fitted(bp, breaks = m)),
    vcov = lapply(v, function(x) vec(x)), vcov_names = names(v),
    vcov_homo = lapply(v0, function(x) vec(x)),
    vcov_hetreg_only = lapply(v1, function(x) vec(x)),
    vcov_heterr_only = lapply(v2, function(x) vec(x)),
    breakfactor_codes = vec(as.integer(bf)), breakfactor_levels = I(levels(bf))
  )
}
mosum_block <- function(formula, data = list(), h = 0.15) {
  e <- efp(formula, data = data, type = "OLS-MOSUM", h = h)
  s <- sctest(e)
  list(h = h, stat = unname(s$statistic), p = s$p.value, process = vec(e$process),
       time = vec(time(e$process)))
}

res <- list()
res$meta <- list(
  r_version = R.version.string,
  strucchange_version = as.character(packageVersion("strucchange")),
  generated_by = "tests/r/strucchange_extra_reference.R"
)

# ---- Nile ---------------------------------------------------------------------------------
bp.nile <- breakpoints(Nile ~ 1)
res$nile <- list(
  fstats_from_to = fs_block(Fstats(Nile ~ 1, from = 0.1, to = 0.7)),
  fstats_counts = fs_block(Fstats(Nile ~ 1, from = 20, to = 60)),
  regimes_m1 = regime_block(bp.nile, 1),
  regimes_m2 = regime_block(bp.nile, 2),
  mosum = mosum_block(Nile ~ 1),
  mosum_h03 = mosum_block(Nile ~ 1, h = 0.3)
)

# ---- segmented trend ----------------------------------------------------------------------
yr <- 1965:2009
tt <- seq_along(yr)
ytr <- 10 + 0.20 * tt + 0.50 * pmax(tt - 15, 0) - 0.90 * pmax(tt - 30, 0) +
  0.8 * sin(1.7 * tt) + 0.5 * cos(0.37 * tt^1.3)
ytr <- ts(ytr, start = 1965)
bp.tr <- breakpoints(ytr ~ tt, h = 5)
res$trend <- list(
  fstats_from_to = fs_block(Fstats(ytr ~ tt, from = 8, to = 30)),
  regimes_m2 = regime_block(bp.tr, 2),
  mosum = mosum_block(ytr ~ tt),
  mosum_h02 = mosum_block(ytr ~ tt, h = 0.2)
)

# ---- UK driver deaths ---------------------------------------------------------------------
dd <- log(UKDriverDeaths)
dd <- cbind(y = dd, ylag1 = lag(dd, k = -1), ylag12 = lag(dd, k = -12))
dd <- window(dd, start = c(1970, 1), end = c(1984, 12))
bp.dd <- breakpoints(y ~ ylag1 + ylag12, data = dd, h = 0.1)
res$ukdd <- list(
  fstats_from_to = fs_block(Fstats(y ~ ylag1 + ylag12, data = dd, from = 0.2, to = 0.6)),
  regimes_m2 = regime_block(bp.dd, 2),
  mosum = mosum_block(y ~ ylag1 + ylag12, data = dd),
  mosum_h05 = mosum_block(y ~ ylag1 + ylag12, data = dd, h = 0.5)
)

writeLines(to_json(res), out)
cat("wrote", out, "\n")

# ---- the OLS-MOSUM critical values ---------------------------------------------------------
if (length(args) >= 2) {
  me <- as.matrix(get("sc.me", envir = asNamespace("strucchange")))
  con <- file(args[2], "w")
  writeLines(c(
    "# Critical values of the max functional of the OLS-based MOSUM process (Brownian bridge increments;",
    "# Chu, Hornik and Kuan 1995), the table sc.me of R strucchange",
    sprintf("# %s, written by tests/r/strucchange_extra_reference.R under %s.",
            as.character(packageVersion("strucchange")), R.version.string),
    "# Row k (1..6, process dimension) and h (window as a fraction of n: 0.05, 0.10, ..., 0.50); columns the",
    "# critical values at the levels 10%, 5%, 2.5% and 1%, as pvalue.efp reads them."),
    con)
  tab <- data.frame(k = rep(1:6, each = 10), h = rep((1:10) * 0.05, 6))
  tab[["10%"]] <- me[, 1]; tab[["5%"]] <- me[, 2]; tab[["2.5%"]] <- me[, 3]; tab[["1%"]] <- me[, 4]
  for (cl in c("h", "10%", "5%", "2.5%", "1%")) tab[[cl]] <- sprintf("%.17g", tab[[cl]])
  write.table(tab, con, sep = ",", quote = FALSE, row.names = FALSE)
  close(con)
  cat("wrote", args[2], "\n")
}
