#!/usr/bin/env Rscript
# Reference values for ewp_stats.engines.breaks, computed with R strucchange.
#
# Run from the repository root:
#   Rscript tests/r/strucchange_reference.R tests/engines/reference/strucchange_reference.json
#
# Uses the default R engine of recresid() (engine = "C" gives wrong recursive
# residuals in the Debian build of strucchange 1.5-3).  No jsonlite is needed:
# a small writer below prints numbers with 17 significant digits.
suppressMessages(library(strucchange))

args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args)) args[1] else "tests/engines/reference/strucchange_reference.json"

# ---- minimal JSON writer ---------------------------------------------------
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
vec <- function(x) I(as.numeric(x))  # always a JSON array

# ---- helpers ---------------------------------------------------------------
bp_summary <- function(bp) {
  s <- summary(bp)
  M <- ncol(bp$RSS.table) / 2
  breaks <- lapply(seq_len(M), function(m) vec(breakpoints(bp, breaks = m)$breakpoints))
  list(
    nobs = bp$nobs, nreg = bp$nreg,
    max_breaks = M,
    rss = vec(s$RSS["RSS", ]),
    bic = vec(s$RSS["BIC", ]),
    loglik = vec(sapply(0:M, function(m) as.numeric(logLik(bp, breaks = m)))),
    breaks_by_m = breaks,
    selected_m = length(na.omit(breakpoints(bp)$breakpoints)),
    selected = vec(breakpoints(bp)$breakpoints)
  )
}
ci_block <- function(bp, m, ...) {
  ci <- confint(bp, breaks = m, ...)$confint
  list(breaks = m, lower = vec(ci[, 1]), point = vec(ci[, 2]), upper = vec(ci[, 3]))
}
fs_block <- function(fs) {
  list(
    from = as.numeric(start(fs$Fstats)[1]), stats = vec(fs$Fstats), lambda = fs$par,
    nreg = fs$nreg, nobs = fs$nobs, breakpoint = fs$breakpoint,
    supF = sctest(fs, type = "supF")$statistic, supF_p = sctest(fs, type = "supF")$p.value,
    aveF = sctest(fs, type = "aveF")$statistic, aveF_p = sctest(fs, type = "aveF")$p.value,
    expF = sctest(fs, type = "expF")$statistic, expF_p = sctest(fs, type = "expF")$p.value
  )
}
efp_block <- function(formula, data = list()) {
  o <- efp(formula, data = data, type = "OLS-CUSUM")
  r <- efp(formula, data = data, type = "Rec-CUSUM")
  so <- sctest(o); sr <- sctest(r)
  list(
    ols_stat = so$statistic, ols_p = so$p.value, ols_process = vec(o$process),
    rec_stat = sr$statistic, rec_p = sr$p.value, rec_process = vec(r$process)
  )
}
# strucchange 1.5-3 also gives sctest(..., type = "Chow")
chow_block <- function(formula, point, data = list()) {
  ct <- sctest(formula, type = "Chow", point = point, data = data)
  list(point = point, F = unname(ct$statistic), p = ct$p.value)
}

res <- list()
res$meta <- list(
  r_version = R.version.string,
  strucchange_version = as.character(packageVersion("strucchange")),
  recresid_engine = "R",
  generated_by = "tests/r/strucchange_reference.R"
)

# ---- 1. Nile, intercept only ---------------------------------------------
bp.nile <- breakpoints(Nile ~ 1)
res$nile <- list(
  y = vec(Nile), start = start(Nile)[1],
  breakpoints = bp_summary(bp.nile),
  confint = ci_block(bp.nile, 1),
  confint_homo = ci_block(bp.nile, 1, het.reg = FALSE, het.err = FALSE),
  confint_m2 = ci_block(bp.nile, 2),
  coef_m1 = vec(coef(bp.nile, breaks = 1)),
  fstats = fs_block(Fstats(Nile ~ 1)),
  efp = efp_block(Nile ~ 1)
)

# ---- 2. Linear trend on a short annual series (deterministic data) -------
# 45 years 1965-2009; slope changes after 1979 and 1994; deterministic
# "noise" from sin() so the series needs no RNG.
yr <- 1965:2009
tt <- seq_along(yr)
ytr <- 10 + 0.20 * tt + 0.50 * pmax(tt - 15, 0) - 0.90 * pmax(tt - 30, 0) +
  0.8 * sin(1.7 * tt) + 0.5 * cos(0.37 * tt^1.3)
ytr <- ts(ytr, start = 1965)
bp.tr <- breakpoints(ytr ~ tt, h = 5)
res$trend <- list(
  y = vec(ytr), start = 1965, h = 5,
  breakpoints = bp_summary(bp.tr),
  confint = ci_block(bp.tr, 2),
  confint_homo = ci_block(bp.tr, 2, het.reg = FALSE, het.err = FALSE),
  confint_hetreg_only = ci_block(bp.tr, 2, het.reg = TRUE, het.err = FALSE),
  coef_m2 = vec(t(coef(bp.tr, breaks = 2))),
  fstats = fs_block(Fstats(ytr ~ tt, from = 0.15)),
  efp = efp_block(ytr ~ tt),
  chow_1979 = chow_block(ytr ~ tt, point = 15)
)
# joint Chow test at two known points (1979, 1994) as a nested-model F test
seg <- factor(cut(tt, c(0, 15, 30, 45)))
fm0 <- lm(ytr ~ tt); fm1 <- lm(ytr ~ seg / tt - 1)
a <- anova(fm0, fm1)
res$trend$chow_joint <- list(points = vec(c(15, 30)), F = a$F[2], p = a[["Pr(>F)"]][2],
                             df1 = a$Df[2], df2 = a$Res.Df[2])

# ---- 3. UK driver deaths, seasonal AR model (strucchange docs) -----------
dd <- log(UKDriverDeaths)
dd <- cbind(y = dd, ylag1 = lag(dd, k = -1), ylag12 = lag(dd, k = -12))
dd <- window(dd, start = c(1970, 1), end = c(1984, 12))
bp.dd <- breakpoints(y ~ ylag1 + ylag12, data = dd, h = 0.1)
res$ukdd <- list(
  y = vec(dd[, "y"]), ylag1 = vec(dd[, "ylag1"]), ylag12 = vec(dd[, "ylag12"]),
  start = as.numeric(time(dd)[1]), frequency = frequency(dd), h = 0.1,
  breakpoints = bp_summary(bp.dd),
  confint = ci_block(bp.dd, 2),
  coef_m2 = vec(t(coef(bp.dd, breaks = 2))),
  fstats = fs_block(Fstats(y ~ ylag1 + ylag12, data = dd, from = 0.1)),
  efp = efp_block(y ~ ylag1 + ylag12, data = dd)
)

# ---- 4. Hansen (1997) p-value surface at a grid --------------------------
grid <- expand.grid(x = c(2, 5, 8.85, 12, 20), k = c(1, 2, 3, 5),
                    lambda = c(((1 - 0.15) / 0.15)^2, ((1 - 0.1) / 0.1)^2, ((1 - 0.05) / 0.05)^2, 16, 1.5, 0.3))
pv <- function(type) mapply(function(x, k, l) strucchange:::pvalue.Fstats(x, type = type, k = k, lambda = l),
                            grid$x, grid$k, grid$lambda)
res$pvalue_grid <- list(x = vec(grid$x), k = vec(grid$k), lambda = vec(grid$lambda),
                        supF = vec(pv("supF")), aveF = vec(pv("aveF")), expF = vec(pv("expF")))

# ---- 5. pargmaxV (Bai 1997 limiting distribution) ------------------------
pg <- expand.grid(x = c(-30, -5, -0.5, 0, 0.7, 4, 25), xi = c(1, 0.6, 2.5), phi1 = c(1, 0.8), phi2 = c(1, 1.7))
res$pargmaxv <- list(x = vec(pg$x), xi = vec(pg$xi), phi1 = vec(pg$phi1), phi2 = vec(pg$phi2),
                     value = vec(with(pg, strucchange:::pargmaxV(x, xi = xi, phi1 = phi1, phi2 = phi2))))

writeLines(to_json(res), out)
cat("wrote", out, "\n")

# ---- 6. Hansen (1997) response-surface coefficients -----------------------
# strucchange keeps them as internal data objects sc.beta.sup, sc.beta.ave and
# sc.beta.exp (1000 rows = 40 regressor counts x 25 trimming values; columns
# = polynomial coefficients then chi-square degrees of freedom).  With a second
# argument the script writes them, long format, to the package data file.
if (length(args) >= 2) {
  ns <- asNamespace("strucchange")
  rows <- NULL
  for (type in c("sup", "ave", "exp")) {
    b <- get(paste0("sc.beta.", type), envir = ns)
    b <- as.matrix(b)
    ncoef <- ncol(b) - 1
    coefs <- matrix(NA_real_, nrow(b), 4)
    coefs[, seq_len(ncoef)] <- b[, seq_len(ncoef)]
    rows <- rbind(rows, data.frame(
      type = type, k = rep(1:40, each = 25), row = rep(1:25, 40),
      b0 = coefs[, 1], b1 = coefs[, 2], b2 = coefs[, 3], b3 = coefs[, 4],
      df = b[, ncoef + 1]))
  }
  con <- file(args[2], "w")
  writeLines(c(
    "# Hansen (1997) response-surface coefficients for sup-F, ave-F and exp-F p-values.",
    sprintf("# Extracted from R strucchange %s internal objects strucchange:::sc.beta.sup/.ave/.exp",
            as.character(packageVersion("strucchange"))),
    sprintf("# by tests/r/strucchange_reference.R under %s.", R.version.string),
    "# Row r (1..25) belongs to trimming tau = (51 - 2 r) / 100 (0.49, 0.47, ..., 0.01), as in pvalue.Fstats; b0..b3 are",
    "# polynomial coefficients in the statistic (empty where the table has fewer terms), df the chi-square degrees of freedom."),
    con)
  for (cl in c("b0", "b1", "b2", "b3", "df")) rows[[cl]] <- ifelse(is.na(rows[[cl]]), "", sprintf("%.17g", rows[[cl]]))
  write.table(rows, con, sep = ",", quote = FALSE, row.names = FALSE, na = "")
  close(con)
  cat("wrote", args[2], "\n")
}
