package scenario

import (
	"github.com/roundtrip-dev/roundtrip/quarter"
)

// EntityID names an entity or one of the outside sectors.
type EntityID string

// ContractID names a contract.
type ContractID string

// The outside sectors: accounts that are not firms, named by reserved ids.
const (
	Customers      EntityID = "customers"       // organic demand
	CapitalMarkets EntityID = "capital_markets" // outside investors and lenders
	Suppliers      EntityID = "suppliers"       // costs leaving the network
)

// Sectors lists the outside sectors in the order accounts are laid out.
var sectors = [...]EntityID{Customers, CapitalMarkets, Suppliers}

// Sectors returns the outside sectors' ids.
func Sectors() []EntityID { return sectors[:] }

// IsSector reports whether id is one of the outside sectors.
func IsSector(id EntityID) bool {
	return id == Customers || id == CapitalMarkets || id == Suppliers
}

// Kind is an entity's role.
type Kind string

// Entity kinds.
const (
	Lab       Kind = "lab"
	Cloud     Kind = "cloud"
	Chipmaker Kind = "chipmaker"
	Investor  Kind = "investor"
	Neocloud  Kind = "neocloud"
)

var kinds = []string{"lab", "cloud", "chipmaker", "investor", "neocloud"}

// Market is a market a firm sells in, for the concentration of markets
// (analysis.Markets): what is sold, not who sells it.
type Market string

// Markets.
const (
	// MarketCompute is cloud compute: capacity sold by clouds and neoclouds
	// (GPU hours, reserved clusters, leased GPUs), contract or organic.
	MarketCompute Market = "compute"
	// MarketModels is model and API revenue: subscriptions and tokens sold
	// by the firms that make the models.
	MarketModels Market = "models"
	// MarketAccelerators is AI accelerators and the systems and networking
	// sold with them (GPUs, TPUs, custom ASICs).
	MarketAccelerators Market = "accelerators"
	// MarketComponents is parts that are not accelerators: memory (HBM),
	// servers, other hardware.
	MarketComponents Market = "components"
	// MarketOther is revenue in no AI market (advertising, software
	// licences, office suites): counted as revenue, in no concentration.
	MarketOther Market = "other"
)

var markets = []string{"compute", "models", "accelerators", "components", "other"}

// kindSells is what a firm of each kind sells when its entity does not say.
func kindSells(k Kind) []Market {
	switch k {
	case Lab:
		return []Market{MarketModels}
	case Cloud, Neocloud:
		return []Market{MarketCompute}
	case Chipmaker:
		return []Market{MarketAccelerators}
	}
	return nil
}

// Scope says what part of a firm its modelled revenue covers ("AWS
// segment", "whole company"), so figures of different scopes are not
// compared as one.
type Scope struct {
	// Name is the scope, short enough for a table column; "" when the file
	// does not state one.
	Name    string
	Sources []string
	Note    string
}

// NotStated is what reports print for a firm whose scope is not given.
const NotStated = "scope not stated"

// MarketShare is the share of a demand line's revenue sold in one market.
type MarketShare struct {
	Market Market
	Share  float64 // in [0, 1]; a line's shares sum to 1
}

// Policy says how a payment draws on the payer's origin mix.
type Policy string

// Provenance policies.
const (
	// ProRata pays every origin in proportion to the payer's mix.
	ProRata Policy = "pro_rata"
	// Earmarked pays X first from the payer's capital:X dollars, the rest
	// pro rata: investment money spent on the investor's own services.
	Earmarked Policy = "earmarked"
	// FIFO pays from the payer's oldest money first, whatever its origin:
	// money spent in the order it came in.
	FIFO Policy = "fifo"
)

// Financing says how an entity meets a cash shortfall.
type Financing string

// Financing modes.
const (
	// Outside: the capital-markets sector lends the shortfall (the funding gap).
	Outside Financing = "outside"
	// NoFinancing: the unpaid part becomes arrears, the input to clearing.
	NoFinancing Financing = "none"
)

// Type is a contract's type.
type Type string

// Contract types.
const (
	Equity       Type = "equity"
	Compute      Type = "compute"
	Hardware     Type = "hardware"
	Warrant      Type = "warrant"
	Backstop     Type = "backstop"
	RevenueShare Type = "revenue_share"
	Debt         Type = "debt"
	Lease        Type = "lease"
	Acquisition  Type = "acquisition"
	// Models is a purchase of a lab's models or products (API access,
	// subscriptions, model fees passed on by a platform): revenue of the
	// payee like compute, kept apart so that what is sold is not mistaken
	// for compute.
	Models Type = "models"
	// Payout is a one-off payment to an owner (a distribution or
	// dividend): neither revenue of the payee nor an investment in it.
	Payout Type = "payout"
)

var types = []string{"equity", "compute", "hardware", "warrant", "backstop", "revenue_share", "debt", "lease", "acquisition", "models", "payout"}

// IsCapital reports whether money paid under t is capital for the payee
// (re-tagged capital:<payer> on arrival, and not revenue).
func (t Type) IsCapital() bool { return t == Equity || t == Warrant || t == Debt }

// Profile shapes a contract's payments over its term.
type Profile string

// Payment profiles.
const (
	Flat Profile = "flat" // equal parts
	Ramp Profile = "ramp" // parts in proportion 1, 2, …, n
)

// Provenance is where a figure comes from.
type Provenance struct {
	Sources    []string // source ids
	Confidence string   // high, medium or low
	Estimated  bool     // the figure is an estimate, not reported
	Basis      string   // how an estimate was reached
	Note       string
}

// Source is a bibliography entry.
type Source struct {
	ID, Publisher, Title, Date, URL, Note string
	Pos                                   Pos
}

// Stake is a share of another entity held at the start.
type Stake struct {
	In    EntityID
	Share Value
}

// Mark is a firm's valuation at a date: a priced round's post-money, a
// secondary sale or another reported mark. A firm's marks, with its opening
// Valuation, are the one source of what it is worth when: stakes in it are
// valued at its latest mark, and DebtRank's capital is that mark.
type Mark struct {
	ID        string // optional, so that notes can name it
	Date      string // as written: YYYY-MM-DD or YYYY-MM, a leading ~ allowed
	Quarter   quarter.Quarter
	Valuation Value // money: post-money
	Provenance
	Pos Pos
}

// Entity is a firm.
type Entity struct {
	ID   EntityID
	Name string
	Kind Kind
	// Roles are further kinds the firm acts as.
	Roles []Kind
	Cash  Value // money
	Debt  Value // money
	// Valuation is the firm's mark at the start, in force until the first
	// of Marks dated in or after the start quarter.
	Valuation Value // money
	// Marks are the firm's later (or earlier) valuation marks, in date
	// order.
	Marks []Mark
	// MarkChange moves the firm's marks (Valuation and Marks) by this
	// fraction where they value stakes and capital, not where they price
	// a purchase: a stress shock (valuation=-40% sets −0.4) that revalues
	// what is held without changing what was paid for it. No file sets it.
	MarkChange float64
	CapacityGW Value
	Stakes     []Stake
	Financing  Financing
	// Capacity is how much outside capital the firm can raise a year
	// under financing: outside; unset, it is unlimited (the behaviour of
	// files written before the field).
	Capacity FinancingCapacity
	// Payout is what the firm pays its shareholders (dividends and
	// buybacks) each calendar year; unset, nothing.
	Payout PayoutPolicy
	// Exit is the quarter from which the firm walks away from its
	// contracts, or 0 when it stays: from then on it neither pays nor
	// receives under any contract except debt (whose interest and
	// repayments continue), nor under any spending line, so its counterparties lose the contracted
	// flows; it stays solvent, keeps its customers and pays its costs. It
	// is not a default: nothing becomes arrears.
	Exit quarter.Quarter
	// Default is the quarter from which the firm fails, or 0 when it does
	// not: from then on what it owes (contracts and costs) becomes arrears,
	// cleared against its cash, and payments to it lapse.
	Default quarter.Quarter
	// Scope is what part of the firm the revenue covers.
	Scope Scope
	// Sells lists the markets the firm sells in; nil means by kind (lab:
	// models; cloud, neocloud: compute; chipmaker: accelerators; investor:
	// none), and an empty list means none. See Sold.
	Sells []Market
	Provenance
	Pos Pos
}

// Sold returns the markets e sells in: Sells, or its kind's when unset.
func (e *Entity) Sold() []Market {
	if e.Sells != nil {
		return e.Sells
	}
	return kindSells(e.Kind)
}

// ScopeName returns e's scope, or NotStated.
func (e *Entity) ScopeName() string {
	if e.Scope.Name == "" {
		return NotStated
	}
	return e.Scope.Name
}

// FinancingCapacity is the outside capital a firm can raise in a calendar
// year to cover cash shortfalls (its funding gap). Past it, what the firm
// cannot pay becomes arrears, the input to clearing. It carries its own
// provenance, since it is an estimate apart from the firm's other figures.
type FinancingCapacity struct {
	PerYear Value // money a calendar year; unset: unlimited
	// HardwareShare is the share of each hardware purchase that lenders
	// finance against the hardware bought (GPU-backed loans, vendor
	// financing, an SPV that buys and leases the chips): it adds to the
	// year's capacity as the firm buys. Unset: 0.
	HardwareShare Value
	Provenance
	Pos Pos
}

// PayoutPolicy is a firm's distribution to its shareholders (dividends and
// share buybacks): at the end of each calendar year it pays the
// capital-markets sector ShareOfCashFlow of its free cash flow in the
// year, taken as the rise in its cash over the year less the outside
// financing it drew in it (nothing when that is not positive). It
// carries its own provenance, as the financing capacity does.
type PayoutPolicy struct {
	ShareOfCashFlow Value // share in [0, 1]
	Provenance
	Pos Pos
}

// Alternative is a figure another source gives for a contract's amount.
type Alternative struct {
	Amount  Value
	Sources []string
	Note    string
}

// Contract moves money from From to To.
type Contract struct {
	ID       ContractID
	Type     Type
	From, To EntityID
	Amount   Value // money: total over the term
	UpTo     bool  // announced as a ceiling
	// NonCash marks an equity or warrant contract whose consideration is
	// shares, not cash: From receives shares of To (a warrant or stock
	// issued to a customer) and no money moves. Amount is the shares'
	// value at issue.
	NonCash      bool
	Draw         Value // share of Amount paid
	Start        quarter.Quarter
	Quarters     Value // count: payment term
	Profile      Profile
	TakeOrPay    Value // share
	Usage        Value // share
	Share        Value // share: revenue_share's share of the payer's revenue
	Rate         Value // annual interest rate of debt
	Valuation    Value // money: post-money valuation for stakes
	CapacityGW   Value
	Units        Value
	Announced    string
	Alternatives []Alternative
	Provenance
	Pos Pos
}

// Demand is organic revenue an entity receives from the customers sector.
type Demand struct {
	Entity  EntityID
	Revenue Value // money: annualized run-rate at the start
	Growth  Value // annual growth rate (at the start, when it fades)
	Fade
	// Markets splits the revenue between markets; nil means all of it in
	// the entity's first sold market (other if it sells none). See
	// Model.DemandMarkets.
	Markets []MarketShare
	Provenance
	Pos Pos
}

// Fade makes a run-rate's annual growth decay from its initial rate toward
// a long-run rate: g(t) = LongRunGrowth + (Growth − LongRunGrowth)·2^(−t/HalfLife),
// t in years from the scenario's start. Both fields unset keeps growth
// constant, as in files written before they existed. Young firms' growth
// slows as they grow, and a constant rate held for seven years gives paths
// no published forecast comes near.
type Fade struct {
	LongRunGrowth Value // annual growth rate approached in the long run
	HalfLife      Value // years for the gap between growth and LongRunGrowth to halve
}

// Cost is what an entity pays the suppliers sector.
type Cost struct {
	Entity         EntityID
	ShareOfRevenue Value // share of the quarter's revenue
	Amount         Value // money: fixed annual run-rate at the start
	Growth         Value // annual growth of Amount (at the start, when it fades)
	Fade
	Provenance
	Pos Pos
}

// Spending is a relation that continues a firm's purchases past where its
// contracts stop: each quarter from From on, the firm's purchases of type
// Type (compute or hardware) are topped up to a target, and what its
// contracts (and earlier spending lines) of that type already paid in the
// quarter counts toward the target, so nothing is bought twice. The target
// is ShareOfRevenue of the firm's revenue received so far in the quarter,
// or an annual run-rate Amount growing at Growth (fading by Fade), given at
// From. What the top-up comes to is paid to To in proportion to the shares.
// It stands in for capex guidance and compute budgets until a physical
// layer models capacity.
type Spending struct {
	Entity         EntityID
	Type           Type  // Compute or Hardware
	ShareOfRevenue Value // non-negative: of the quarter's revenue so far; capex can exceed revenue
	Amount         Value // money: annual run-rate at From
	Growth         Value // annual growth of Amount
	Fade
	From quarter.Quarter // first quarter; 0 means the scenario's start
	To   []Payee
	Provenance
	Pos Pos
}

// Payee is one recipient of a spending line and its share of the line.
type Payee struct {
	Entity EntityID // a firm or the suppliers sector
	Share  float64  // in [0, 1]; a line's shares sum to 1
}

// Record keeps a reported fact that moves no money in the model.
type Record struct {
	ID         string
	Type       string
	Parties    []EntityID
	Amount     Value
	CapacityGW Value
	Date       string
	Provenance
	Pos Pos
}

var recordTypes = []string{"distribution", "valuation", "codesign", "aggregate", "jv", "capacity", "other"}

// Note is a remark about entities, contracts or records, such as a
// disagreement between sources.
type Note struct {
	ID      string
	About   []string
	Text    string
	Sources []string
	Pos     Pos
}

// Model is a validated scenario. Its distributions are still in place;
// resolve them with a Draw. A Model is not modified after Decode and is safe
// for concurrent use.
type Model struct {
	Name        string
	Description string
	Start       quarter.Quarter
	Quarters    int
	Provenance  Policy
	Sources     []Source
	Entities    []Entity
	Contracts   []Contract
	Demand      []Demand
	Costs       []Cost
	Spending    []Spending
	Records     []Record
	Notes       []Note
	// Economy is the file's economy: section, or nil when it has none.
	Economy *Economy
	// Marketplace is the file's market: section, or nil when it has none:
	// the model marketplace is off and lab revenue is the demand lines
	// alone.
	Marketplace *Marketplace

	// Params lists every distribution-valued field in file order. A Draw
	// holds one value for each.
	Params []Param

	// Correlations are the items of the file's correlate: list: parameters
	// a Monte Carlo path draws together (Draw.SetAll) instead of
	// independently.
	Correlations []Correlation

	// Warnings are findings that are not errors, such as payments that fall
	// before the scenario's start.
	Warnings []string

	entityIndex map[EntityID]int
	copula      copula // Correlations, compiled
}

// Entity returns the index of the entity id in Entities, or -1.
func (m *Model) Entity(id EntityID) int {
	if i, ok := m.entityIndex[id]; ok {
		return i
	}
	return -1
}

// End returns the last quarter simulated.
func (m *Model) End() quarter.Quarter { return m.Start.Add(m.Quarters - 1) }

// DemandMarkets returns how demand line j's revenue splits between
// markets: its Markets, or all of it in its entity's first sold market
// (other when the entity sells none).
func (m *Model) DemandMarkets(j int) []MarketShare {
	d := &m.Demand[j]
	if d.Markets != nil {
		return d.Markets
	}
	mk := MarketOther
	if i := m.Entity(d.Entity); i >= 0 {
		if s := m.Entities[i].Sold(); len(s) > 0 {
			mk = s[0]
		}
	}
	return []MarketShare{{Market: mk, Share: 1}}
}
